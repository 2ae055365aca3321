package io.sshtunnel.core.config;

import static io.sshtunnel.api.TunnelConstants.PASSWORD;
import static io.sshtunnel.api.TunnelConstants.PRIVATE_KEY_PASSPHRASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sshtunnel.api.Finding;

class SecretFilesTest {
    @TempDir
    Path dir;

    private Path file(String name, String mode) throws Exception {
        Path f = Files.writeString(dir.resolve(name), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aCfgOthersMayReadThatHoldsThePasswordIsAWarningOnThePassword() throws Exception {
        Path cfg = file("io.sshtunnel.tunnel-ad.cfg", "rw-r--r--");
        List<Finding> f = new SecretFiles(null).check(Map.of(CfgFile.FILEINSTALL_FILENAME, cfg.toUri().toString()),
                Map.of(PASSWORD, "hunter2"));
        assertEquals(1, f.size(), f.toString());
        assertEquals("SECRET_FILE_PERMISSIONS", f.get(0).code());
        assertEquals(PASSWORD, f.get(0).property());
        assertFalse(f.get(0).isError(), "a warning: the tunnel still runs");
        assertTrue(f.get(0).message().contains(cfg.toString()) && f.get(0).message().contains("rw-r--r--")
                && f.get(0).message().contains("chmod 600"), f.get(0).message());
        assertFalse(f.get(0).message().contains("hunter2"), "never the secret");
    }

    @Test
    void anOwnerOnlyCfgOrOneWithAPlaceholderIsNoFinding() throws Exception {
        Path ownerOnly = file("a.cfg", "rw-------");
        Path open = file("b.cfg", "rw-r--r--");
        assertTrue(new SecretFiles(null).check(Map.of(CfgFile.FILEINSTALL_FILENAME, ownerOnly.toUri().toString()),
                Map.of(PASSWORD, "hunter2")).isEmpty());
        assertTrue(new SecretFiles(null).check(Map.of(CfgFile.FILEINSTALL_FILENAME, open.toUri().toString()),
                Map.of(PASSWORD, "$[secret:ad]")).isEmpty(), "the file holds no secret, only where it is");
    }

    @Test
    void aSecretFileOthersMayReadIsAWarningOnTheSecretItStandsFor() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("ad"), "hunter2");
        Files.setPosixFilePermissions(secrets.resolve("ad"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(secrets.resolve("key"), "pass");
        Files.setPosixFilePermissions(secrets.resolve("key"), PosixFilePermissions.fromString("rw-------"));
        List<Finding> f = new SecretFiles(secrets.toString()).check(Map.of(),
                Map.of(PASSWORD, "$[secret:ad]", PRIVATE_KEY_PASSPHRASE, "$[secret:key;default=]"));
        assertEquals(1, f.size(), f.toString());
        assertEquals(PASSWORD, f.get(0).property());
        assertTrue(f.get(0).message().contains(secrets.resolve("ad").toString()) && f.get(0).message().contains("rw-r-----"),
                f.get(0).message());
    }

    @Test
    void aPlaceholderCannotLeaveTheSecretsFolder() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        file("outside", "rw-r--r--");
        assertTrue(new SecretFiles(secrets.toString()).check(Map.of(), Map.of(PASSWORD, "$[secret:../outside]")).isEmpty());
    }
}
