package io.sshtunnel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFileTest {
    private static final String PRINT = "SHA256:mSmi/P6XcX1hhjEB6RQqVi9llxxf7t2X6uLXGY9Jf1U";

    @TempDir
    Path dir;

    private Path cfg(String text) throws IOException {
        Path f = dir.resolve("io.sshtunnel.tunnel-customer.cfg");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        return f;
    }

    @Test
    void appendsTheFingerprintAndKeepsEveryOtherLineAsItWas() throws IOException {
        Path f = cfg("# customer AD\nname = customer\npassword = s3cr=t\\\\x\nmappings = L 10389:dc1:389 # LDAP, \\\n  L 10636:dc1:636\n");
        assertTrue(CfgFile.pinFingerprint(f, PRINT, StandardCharsets.ISO_8859_1));
        assertEquals("# customer AD\nname = customer\npassword = s3cr=t\\\\x\nmappings = L 10389:dc1:389 # LDAP, \\\n  L 10636:dc1:636\n"
                + "fingerprint = " + PRINT + "\n", Files.readString(f, StandardCharsets.ISO_8859_1));
    }

    @Test
    void fillsAnEmptyFingerprintLineInPlace() throws IOException {
        Path f = cfg("name = customer\nfingerprint =\nusername = svc\n");
        assertTrue(CfgFile.pinFingerprint(f, PRINT, StandardCharsets.ISO_8859_1));
        assertEquals("name = customer\nfingerprint = " + PRINT + "\nusername = svc\n", Files.readString(f));
    }

    @Test
    void neverReplacesAKeySomeonePinned() throws IOException {
        Path f = cfg("name = customer\nfingerprint = SHA256:other\n");
        assertFalse(CfgFile.pinFingerprint(f, PRINT, StandardCharsets.ISO_8859_1));
        assertEquals("name = customer\nfingerprint = SHA256:other\n", Files.readString(f));
    }

    @Test
    void theNewFileIsAsPrivateAsTheOldOneAndNothingIsLeftAside() throws IOException {
        Path f = cfg("name = customer\npassword = secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        CfgFile.pinFingerprint(f, PRINT, StandardCharsets.ISO_8859_1);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void onlyCfgFilesFromFileInstallAreSources() {
        assertEquals(Path.of("/etc/x/io.sshtunnel.tunnel-a.cfg"), CfgFile.source("file:/etc/x/io.sshtunnel.tunnel-a.cfg"));
        assertNull(CfgFile.source(null));
        assertNull(CfgFile.source("file:/etc/x/io.sshtunnel.tunnel-a.config"));
        assertNull(CfgFile.source("not a uri \\"));
    }
}
