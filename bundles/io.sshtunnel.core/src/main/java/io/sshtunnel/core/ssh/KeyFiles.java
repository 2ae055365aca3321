package io.sshtunnel.core.ssh;

import io.sshtunnel.common.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Reads private keys in OpenSSH or PEM format (RSA, ECDSA, Ed25519), encrypted or not. */
public final class KeyFiles {
    private KeyFiles() {
    }

    /**
     * Loads every key pair in the file.
     *
     * @throws SshFailure of kind {@link SshFailure.Kind#KEY_FILE} when the file cannot be used as it
     *         is (wrong or missing passphrase, a public key), or of kind {@link SshFailure.Kind#LOCAL}
     *         when it cannot be read now, is empty or unreadable as a key (perhaps half-written while
     *         it is replaced), or the runtime failed to decode it (all retried); the message names the
     *         file and what to do
     */
    public static List<KeyPair> load(Path file, String passphrase) throws SshFailure {
        if (!Files.isRegularFile(file)) {
            throw local(Reason.of("key.missing", file), null);
        }
        if (!Files.isReadable(file)) {
            throw local(Reason.of("key.unreadable", file), null);
        }
        String given = passphrase == null || passphrase.isEmpty() ? null : passphrase;
        // MINA asks for the passphrase only when the file is encrypted, after reading the public part
        AtomicBoolean encrypted = new AtomicBoolean();
        FilePasswordProvider passwords = (session, resource, retry) -> {
            encrypted.set(true);
            return given;
        };
        List<KeyPair> result = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, passwords);
            if (pairs != null) {
                pairs.forEach(result::add);
            }
        } catch (GeneralSecurityException | IOException | RuntimeException | LinkageError e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            boolean wantsPassphrase = encrypted.get() || msg.contains("password") || msg.contains("encrypt") || msg.contains("decrypt");
            if (wantsPassphrase && given == null) {
                throw content(Reason.of("key.encrypted", file), e);
            }
            if (wantsPassphrase || given != null && e instanceof GeneralSecurityException) {
                // a wrong passphrase shows as mismatched check values, bad padding or garbled DER
                throw content(Reason.of("key.wrongPassphrase", file), e);
            }
            if (e instanceof ClassCastException || e instanceof LinkageError) {
                // the runtime, not the file: e.g. two copies of a security provider after a bundle refresh
                throw local(Reason.of("key.runtime", file, e.getClass().getSimpleName()), e);
            }
            // perhaps caught half-written while the key is being replaced: retried, as the next attempt may read it whole
            throw local(Reason.of("key.unparsable", file, e.getClass().getSimpleName() + ": " + e.getMessage()), e);
        }
        if (result.isEmpty()) {
            if (isPublicKey(file)) {
                throw content(Reason.of("key.public", file), null);
            }
            throw local(Reason.of("key.empty", file), null);
        }
        return result;
    }

    /**
     * The key pairs with the OpenSSH user certificate of one of them in front, as OpenSSH offers it:
     * the certificate's public key with the matching private key.
     *
     * @throws SshFailure of kind {@link SshFailure.Kind#KEY_FILE} when the file is no certificate or
     *         certifies none of the keys
     */
    public static List<KeyPair> withCertificate(List<KeyPair> keys, Path certificate) throws SshFailure {
        if (!Files.isRegularFile(certificate) || !Files.isReadable(certificate)) {
            throw local(Reason.of("key.certMissing", certificate), null);
        }
        org.apache.sshd.common.config.keys.OpenSshCertificate cert;
        try {
            String line = Files.readAllLines(certificate, java.nio.charset.StandardCharsets.US_ASCII).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
            java.security.PublicKey k = org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(line.strip())
                    .resolvePublicKey(null, null, null);
            if (!(k instanceof org.apache.sshd.common.config.keys.OpenSshCertificate)) {
                throw content(Reason.of("key.notCertificate", certificate), null);
            }
            cert = (org.apache.sshd.common.config.keys.OpenSshCertificate) k;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw content(Reason.of("key.notCertificate", certificate), e);
        }
        List<KeyPair> out = new ArrayList<>();
        for (KeyPair kp : keys) {
            if (org.apache.sshd.common.config.keys.KeyUtils.compareKeys(kp.getPublic(), cert.getCertPubKey())) {
                out.add(new KeyPair(cert, kp.getPrivate()));
            }
        }
        if (out.isEmpty()) {
            throw content(Reason.of("key.certOtherKey", certificate), null);
        }
        out.addAll(keys);
        return out;
    }

    private static boolean isPublicKey(Path file) {
        try {
            String start = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.US_ASCII).strip();
            return start.startsWith("ssh-") || start.startsWith("ecdsa-") || start.startsWith("sk-")
                    || start.startsWith("-----BEGIN PUBLIC KEY") || start.startsWith("-----BEGIN RSA PUBLIC KEY")
                    || start.startsWith("---- BEGIN SSH2 PUBLIC KEY");
        } catch (IOException e) {
            return false;
        }
    }

    private static SshFailure content(Reason reason, Throwable cause) {
        return new SshFailure(SshFailure.Kind.KEY_FILE, reason, cause);
    }

    private static SshFailure local(Reason reason, Throwable cause) {
        return new SshFailure(SshFailure.Kind.LOCAL, reason, cause);
    }
}
