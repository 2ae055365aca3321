package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    static final String FP = TunnelSupervisorTest.FP;
    static final String OTHER_FP = TunnelSupervisorTest.OTHER_FP;

    @TempDir
    Path dir;

    @Test
    void keysSurviveARestartOfTheEngine() {
        Path file = dir.resolve("data/known-hosts");
        new KnownHosts(file).put("SSH.Customer.example", 8822, FP, false);
        new KnownHosts(file).put("::1", 22, OTHER_FP, false);

        KnownHosts again = new KnownHosts(file);
        assertEquals(FP, again.get("ssh.customer.example", 8822), "host names compare without case");
        assertEquals(OTHER_FP, again.get("::1", 22));
        assertNull(again.get("ssh.customer.example", 22), "another port is another server");
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
        Path file = dir.resolve("known-hosts");
        KnownHosts k = new KnownHosts(file);
        k.put("a.example", 22, FP, false);
        k.put("b.example", 22, OTHER_FP, false);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aKeyTrustedOnFirstUseNeverReplacesAKnownOneButAPinnedOneDoes() {
        KnownHosts k = new KnownHosts(null);
        assertEquals(FP, k.put("a.example", 22, FP, false));
        assertEquals(FP, k.put("a.example", 22, OTHER_FP, false), "the first trusted key holds");
        assertEquals(FP, k.get("a.example", 22));
        assertEquals(OTHER_FP, k.put("a.example", 22, OTHER_FP, true), "a fingerprint written on purpose replaces it");
        assertEquals(OTHER_FP, k.get("a.example", 22));
    }

    @Test
    void aDamagedFileLosesOnlyTheDamagedLines() throws Exception {
        Path file = dir.resolve("known-hosts");
        Files.writeString(file, "# comment\ngarbage\na.example:22 " + FP + "\nb.example:22 SHA256:short\n\u0000\u0001\n");
        KnownHosts k = new KnownHosts(file);
        assertEquals(FP, k.get("a.example", 22));
        assertNull(k.get("b.example", 22));
    }

    @Test
    void aFileThatCannotBeWrittenKeepsTheKeysInMemory() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "in the way"); // fails for root too
        KnownHosts k = new KnownHosts(notAFolder.resolve("known-hosts"));
        k.put("a.example", 22, FP, false);
        assertEquals(FP, k.get("a.example", 22), "the pin is not lost while the process runs");
        assertEquals("in the way", Files.readString(notAFolder));
    }
}
