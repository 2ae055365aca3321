package io.sshtunnel.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs every cipher the client may offer first, AEAD or not, over all its packets. */
class CipherWarmupTest {

    @Test
    void everyOfferedCipherRunsItsPacketsBothWays() {
        for (NamedFactory<Cipher> c : SshTransport.CIPHERS) {
            CipherWarmup w = new CipherWarmup(c);
            w.run();
            // a packet whose tag did not verify, or an AEAD cipher fed like CTR, throws and stops the count
            assertEquals(CipherWarmup.PACKETS, w.done, () -> c.getName() + ": " + w.failure);
        }
    }

    @Test
    void anInterruptedWarmupStopsAtOnce() throws Exception {
        CipherWarmup w = new CipherWarmup(BuiltinCiphers.aes128gcm);
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt(); // as when the engine stops before the warm-up began
            w.run();
        });
        t.start();
        t.join(60_000);
        assertEquals(0, w.done);
    }
}
