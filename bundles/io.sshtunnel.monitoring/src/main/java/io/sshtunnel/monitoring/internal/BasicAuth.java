package io.sshtunnel.monitoring.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP Basic against one user and password, compared in constant time; with no password set,
 * everybody is let in.
 */
final class BasicAuth {
    private final byte[] expected;

    BasicAuth(String username, String password) {
        this.expected = password == null || password.isEmpty() ? null
                : ((username == null ? "" : username) + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected != null;
    }

    boolean allows(String authorization) {
        if (expected == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expected);
    }
}
