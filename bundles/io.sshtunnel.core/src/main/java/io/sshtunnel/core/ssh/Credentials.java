package io.sshtunnel.core.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the engine offers the server: a password, the key file (read at each connection attempt,
 * so a replaced key is picked up on the next one), or both. {@link #toString()} never shows a
 * secret.
 */
public final class Credentials {
    private final String username;
    private final String password;
    private final Path keyFile;
    private final String passphrase;
    /** The proxy's password ({@code proxy.password}), or null. */
    private final String proxyPassword;
    /** The OpenSSH user certificate of the key, or null. */
    private final Path certificateFile;

    public Credentials(String username, String password, Path keyFile, String passphrase) {
        this(username, password, keyFile, passphrase, null);
    }

    public Credentials(String username, String password, Path keyFile, String passphrase, String proxyPassword) {
        this(username, password, keyFile, passphrase, proxyPassword, null);
    }

    public Credentials(String username, String password, Path keyFile, String passphrase, String proxyPassword, Path certificateFile) {
        this.certificateFile = certificateFile;
        this.username = username;
        this.password = password == null || password.isEmpty() ? null : password;
        this.keyFile = keyFile;
        this.passphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
        this.proxyPassword = proxyPassword == null || proxyPassword.isEmpty() ? null : proxyPassword;
    }

    String proxyPassword() {
        return proxyPassword;
    }

    /** The OpenSSH user certificate of the key file, or {@code null}. */
    public Path certificateFile() {
        return certificateFile;
    }

    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    /** The private key file, or {@code null} for password authentication only. */
    public Path keyFile() {
        return keyFile;
    }

    String passphrase() {
        return passphrase;
    }

    /** Equal when user, password, key file and passphrase are equal; used to decide whether a change needs a reconnect. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) {
            return false;
        }
        Credentials c = (Credentials) o;
        return Objects.equals(username, c.username) && Objects.equals(password, c.password)
                && Objects.equals(keyFile, c.keyFile) && Objects.equals(passphrase, c.passphrase)
                && Objects.equals(proxyPassword, c.proxyPassword) && Objects.equals(certificateFile, c.certificateFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, keyFile);
    }

    @Override
    public String toString() {
        return "Credentials[" + username + (password == null ? "" : ", password ****")
                + (keyFile == null ? "" : ", key " + keyFile + (passphrase == null ? "" : " with passphrase ****"))
                + (certificateFile == null ? "" : ", certificate " + certificateFile)
                + (proxyPassword == null ? "" : ", proxy password ****") + "]";
    }
}
