package io.sshtunnel.core.ssh;

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
     * @throws IllegalArgumentException with a message that names the file and what to do
     */
    public static List<KeyPair> load(Path file, String passphrase) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file \"" + file + "\" does not exist or is not a file: give the path of an OpenSSH or PEM private key");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("file \"" + file + "\" is not readable by this process: fix its permissions");
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
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (encrypted.get()) {
                // a wrong passphrase shows as mismatched check values, bad padding or garbled DER
                throw new IllegalArgumentException(given == null
                        ? "key file \"" + file + "\" is encrypted: set private.key.passphrase"
                        : "key file \"" + file + "\" could not be decrypted with the configured private.key.passphrase: check the passphrase", e);
            }
            if (passphrase == null || passphrase.isEmpty()) {
                if (msg.toLowerCase().contains("password") || msg.toLowerCase().contains("encrypt")) {
                    throw new IllegalArgumentException("key file \"" + file + "\" is encrypted: set private.key.passphrase", e);
                }
            } else if (e instanceof GeneralSecurityException || msg.toLowerCase().contains("decrypt") || msg.toLowerCase().contains("password")) {
                throw new IllegalArgumentException("key file \"" + file + "\" could not be decrypted with the configured private.key.passphrase: check the passphrase", e);
            }
            throw new IllegalArgumentException("key file \"" + file + "\" could not be read as an OpenSSH or PEM private key (" + e.getClass().getSimpleName() + ": " + msg + "): give an unencrypted or passphrase-protected RSA, ECDSA or Ed25519 key", e);
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("key file \"" + file + "\" holds no private key: give an OpenSSH or PEM private key, not a public key");
        }
        return result;
    }
}
