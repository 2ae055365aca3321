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
    void aLinkedFileIsUpdatedAtItsTargetAndTheLinkKept() throws IOException {
        Path real = Files.createDirectory(dir.resolve("secrets")).resolve("customer-ad.cfg");
        Files.writeString(real, "name = ad\npassword = secret\n", StandardCharsets.ISO_8859_1);
        Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("io.sshtunnel.tunnel-ad.cfg"), real);

        assertTrue(CfgFile.pinFingerprint(link, PRINT, StandardCharsets.ISO_8859_1));

        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("name = ad\npassword = secret\nfingerprint = " + PRINT + "\n", Files.readString(real, StandardCharsets.ISO_8859_1));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        try (var files = Files.list(real.getParent())) {
            assertEquals(java.util.List.of(real), files.toList(), "nothing left aside");
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
