package io.sshtunnel.api;

/**
 * The direction of a port mapping, seen from this machine ("local") towards the SSH
 * server ("remote"), exactly as OpenSSH's {@code -L}, {@code -R} and {@code -D}.
 */
public enum MappingKind {
    /** A port on this machine leads through the SSH server to a target it can reach. */
    L,
    /** A port on the SSH server leads back to a target this machine can reach. */
    R,
    /**
     * A SOCKS 4, 4a and 5 server on a port of this machine: each connection goes through the SSH
     * server to the host and port its client asks for, as {@code ssh -D}.
     *
     * @since 1.5
     */
    D;

    /** Parses {@code L}, {@code R} or {@code D}, ignoring case; {@code null} when it is none of them. */
    public static MappingKind of(String letter) {
        if (letter == null) {
            return null;
        }
        switch (letter.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "L": return L;
            case "R": return R;
            case "D": return D;
            default: return null;
        }
    }

    /** Whether mappings of this kind listen on this machine ({@code L} and {@code D}), not on the SSH server. */
    public boolean listensHere() {
        return this != R;
    }
}
