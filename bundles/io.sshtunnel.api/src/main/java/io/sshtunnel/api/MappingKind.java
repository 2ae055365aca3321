package io.sshtunnel.api;

/**
 * The direction of a port mapping, seen from this machine ("local") towards the SSH
 * server ("remote"), exactly as OpenSSH's {@code -L} and {@code -R}.
 */
public enum MappingKind {
    /** A port on this machine leads through the SSH server to a target it can reach. */
    L,
    /** A port on the SSH server leads back to a target this machine can reach. */
    R;

    /** Parses {@code L} or {@code R}, ignoring case; {@code null} when it is neither. */
    public static MappingKind of(String letter) {
        if (letter == null) {
            return null;
        }
        switch (letter.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "L": return L;
            case "R": return R;
            default: return null;
        }
    }
}
