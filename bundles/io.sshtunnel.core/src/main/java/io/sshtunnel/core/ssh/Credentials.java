package io.sshtunnel.core.ssh;

import java.security.KeyPair;
import java.util.List;

/**
 * What the engine offers the server: a password, key pairs loaded from the configured file, or
 * both. {@link #toString()} never shows a secret.
 */
public final class Credentials {
    private final String username;
    private final String password;
    private final List<KeyPair> keys;

    public Credentials(String username, String password, List<KeyPair> keys) {
        this.username = username;
        this.password = password == null || password.isEmpty() ? null : password;
        this.keys = List.copyOf(keys);
    }

    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    List<KeyPair> keys() {
        return keys;
    }

    /** Equal when user, password and keys are equal; used to decide whether a change needs a reconnect. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) {
            return false;
        }
        Credentials c = (Credentials) o;
        return username.equals(c.username) && java.util.Objects.equals(password, c.password)
                && keys.size() == c.keys.size() && publicKeysEqual(c);
    }

    private boolean publicKeysEqual(Credentials c) {
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).getPublic().equals(c.keys.get(i).getPublic())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return username.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[" + username + (password == null ? "" : ", password ****") + ", " + keys.size() + " key(s)]";
    }
}
