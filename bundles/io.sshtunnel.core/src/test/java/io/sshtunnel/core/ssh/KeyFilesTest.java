package io.sshtunnel.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KeyFiles#load} reads the private key at each connection attempt. A file whose content
 * cannot be used as it is fails with {@link SshFailure.Kind#KEY_FILE} (not retried until the file
 * or the configuration changes); a file that cannot be read now fails with
 * {@link SshFailure.Kind#LOCAL} (retried). Every message names the file and the fix, and never the
 * passphrase.
 */
class KeyFilesTest {
    static final String PASSPHRASE_VALUE = "key-Phrase-do-not-show";
    static final String WRONG_PASSPHRASE = "not-the-Passphrase-do-not-show";

    @TempDir
    Path tmp;

    // ---- key files made by ssh-keygen ----------------------------------------------------------

    static Stream<Arguments> keyTypes() {
        return Stream.of(
                arguments("ed25519", List.of("-t", "ed25519")),
                arguments("rsa", List.of("-t", "rsa", "-b", "2048")),
                arguments("ecdsa", List.of("-t", "ecdsa", "-b", "256")),
                arguments("rsa-pem", List.of("-t", "rsa", "-b", "2048", "-m", "PEM")));
    }

    private Path keygen(String name, List<String> type, String passphrase) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("ssh-keygen"), "ssh-keygen is not on the PATH");
        Path key = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q"));
        cmd.addAll(type);
        cmd.addAll(List.of("-N", passphrase, "-C", "unit-test", "-f", key.toString()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        proc.getOutputStream().close();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "ssh-keygen did not finish");
        String out = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.exitValue(), "ssh-keygen " + cmd + ": " + out);
        assertTrue(Files.isRegularFile(key), out);
        return key;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asserts that loading fails with this kind, a message naming the file and containing each
     * fragment, and that neither passphrase appears anywhere in the failure or its causes.
     */
    private static SshFailure fails(SshFailure.Kind kind, Path file, String passphrase, String... fragments) {
        SshFailure e = assertThrows(SshFailure.class, () -> KeyFiles.load(file, passphrase));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(kind == SshFailure.Kind.KEY_FILE, e.permanent(), "KEY_FILE waits for a change, LOCAL is retried");
        String m = e.getMessage();
        assertTrue(m.startsWith("private.key.path: "), m);
        assertTrue(m.contains("\"" + file + "\""), "the file is named: " + m);
        for (String s : fragments) {
            assertTrue(m.contains(s), "expected <" + s + "> in: " + m);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String shown = t.toString();
            assertFalse(shown.contains(PASSPHRASE_VALUE), "passphrase in: " + shown);
            assertFalse(shown.contains(WRONG_PASSPHRASE), "passphrase in: " + shown);
        }
        return e;
    }

    private static void loadsOneKeyPair(Path key, String passphrase) throws SshFailure {
        List<KeyPair> pairs = KeyFiles.load(key, passphrase);
        assertEquals(1, pairs.size(), pairs.toString());
        assertNotNull(pairs.get(0).getPrivate());
        assertNotNull(pairs.get(0).getPublic());
    }

    // ---- keys that load ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anUnencryptedKeyLoads(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name, type, "");
        loadsOneKeyPair(key, null);
        loadsOneKeyPair(key, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyLoadsWithItsPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_enc", type, PASSPHRASE_VALUE);
        loadsOneKeyPair(key, PASSPHRASE_VALUE);
        assertEquals(KeyFiles.load(key, PASSPHRASE_VALUE).get(0).getPublic(), KeyFiles.load(key, PASSPHRASE_VALUE).get(0).getPublic(),
                "each attempt reads the same key");
    }

    @Test
    void aPassphraseForAnUnencryptedKeyIsNotNeeded() throws Exception {
        Path key = keygen("id_plain", List.of("-t", "ed25519"), "");
        loadsOneKeyPair(key, PASSPHRASE_VALUE);
    }

    @Test
    void aReplacedKeyIsReadOnTheNextLoad() throws Exception {
        Path first = keygen("id_first", List.of("-t", "ed25519"), "");
        Path second = keygen("id_second", List.of("-t", "ed25519"), "");
        Path key = tmp.resolve("id_current");
        Files.copy(first, key);
        KeyPair before = KeyFiles.load(key, null).get(0);
        Files.copy(second, key, StandardCopyOption.REPLACE_EXISTING);
        KeyPair after = KeyFiles.load(key, null).get(0);
        assertFalse(before.getPublic().equals(after.getPublic()), "the key is not cached");
        assertEquals(KeyFiles.load(second, null).get(0).getPublic(), after.getPublic());
    }

    // ---- content that cannot be used: KEY_FILE -------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyWithAWrongPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_wrong", type, PASSPHRASE_VALUE);
        fails(SshFailure.Kind.KEY_FILE, key, WRONG_PASSPHRASE, "could not be decrypted with the configured private.key.passphrase",
                "check the passphrase");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyWithoutPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_nopass", type, PASSPHRASE_VALUE);
        fails(SshFailure.Kind.KEY_FILE, key, null, "is encrypted", "set private.key.passphrase");
        fails(SshFailure.Kind.KEY_FILE, key, "", "is encrypted", "set private.key.passphrase");
    }

    @Test
    void aPublicKeyInsteadOfThePrivateKey() throws Exception {
        Path key = keygen("id_pub", List.of("-t", "ed25519"), "");
        Path pub = Path.of(key + ".pub");
        fails(SshFailure.Kind.KEY_FILE, pub, null, "is a public key", "give the private key");
    }

    @Test
    void aPrivateKeyFileThatIsNotAKeyIsRetried() throws IOException {
        // not a key now: perhaps the key is being written; the next attempt reads it again
        Path junk = Files.writeString(tmp.resolve("notes.txt"), "this is not a key\n");
        fails(SshFailure.Kind.LOCAL, junk, null, "holds no private key", "retrying", "give an OpenSSH or PEM private key");
        fails(SshFailure.Kind.LOCAL, junk, PASSPHRASE_VALUE, "holds no private key", "retrying");
    }

    @Test
    void anEmptyKeyFileAsWhileItIsBeingWrittenIsRetried() throws IOException {
        Path empty = Files.writeString(tmp.resolve("id_empty"), "");
        fails(SshFailure.Kind.LOCAL, empty, null, "holds no private key", "being written?");
    }

    @Test
    void aKeyFileWithGarbageBetweenItsMarkersAsIfHalfWrittenIsRetried() throws IOException {
        Path garbled = Files.writeString(tmp.resolve("id_garbled"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0\n-----END OPENSSH PRIVATE KEY-----\n");
        fails(SshFailure.Kind.LOCAL, garbled, null, "could not be read as an OpenSSH or PEM private key", "retrying",
                "give an unencrypted or passphrase-protected RSA, ECDSA or Ed25519 key");
    }

    // ---- a file that cannot be read now: LOCAL -------------------------------------------------

    @Test
    void aPrivateKeyFileThatDoesNotExist() {
        Path missing = tmp.resolve("no-such-key");
        fails(SshFailure.Kind.LOCAL, missing, PASSPHRASE_VALUE, "does not exist or is not a file",
                "give the path of an OpenSSH or PEM private key");
    }

    @Test
    void aPrivateKeyPathThatIsADirectory() {
        fails(SshFailure.Kind.LOCAL, tmp, null, "does not exist or is not a file");
    }

    @Test
    void aKeyFileThisProcessMayNotRead() throws Exception {
        Path key = keygen("id_locked", List.of("-t", "ed25519"), "");
        Assumptions.assumeTrue(key.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(key), "this process reads any file (root)");
            fails(SshFailure.Kind.LOCAL, key, PASSPHRASE_VALUE, "is not readable by this process", "fix its permissions");
        } finally {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
