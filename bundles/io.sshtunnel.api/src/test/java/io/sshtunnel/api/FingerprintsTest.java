package io.sshtunnel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintsTest {
    private static final String FP = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
    private static final String OTHER = "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE";

    @Test
    void everyFormAToolPrintsGivesTheFingerprint() {
        assertEquals(FP, Fingerprints.normalise("  " + FP + "  "));
        // ssh-keygen -lf, on Linux and on Windows (OpenSSH for Windows prints the same)
        assertEquals(FP, Fingerprints.normalise("256 " + FP + " root@dc1 (ED25519)"));
        assertEquals(FP, Fingerprints.normalise("3072 " + FP + " CORP\\admin@DC1 (RSA)"));
        assertEquals(FP, Fingerprints.normalise("256 " + FP + " no comment (ECDSA)"));
        // PuTTY's host key dialog and the ssh client's first-connection question
        assertEquals(FP, Fingerprints.normalise("ssh-ed25519 255 " + FP));
        assertEquals(FP, Fingerprints.normalise("ED25519 key fingerprint is " + FP + "."));
        // padded base64, as some tools print it
        assertEquals(FP, Fingerprints.normalise(FP + "="));
        assertTrue(Fingerprints.isValid(Fingerprints.normalise("256 " + FP + " root@dc1 (ED25519)")));
    }

    @Test
    void anythingElseIsLeftForTheRulesToRefuse() {
        assertNull(Fingerprints.normalise("  "));
        assertEquals("SHA256:short", Fingerprints.normalise("SHA256:short"));
        assertFalse(Fingerprints.isValid(Fingerprints.normalise("MD5:12:34")));
        String two = FP + " " + OTHER;
        assertEquals(two, Fingerprints.normalise(two), "two fingerprints: not ours to choose");
        assertEquals(FP + "x", Fingerprints.normalise(FP + "x"), "a longer token is no fingerprint");
    }
}
