package io.sshtunnel.api;

/** The state of one port mapping of a tunnel. */
public enum MappingState {
    /** Not (yet) attempted: the tunnel is not connected. */
    PENDING,
    /** The forward is bound and carries connections. */
    ACTIVE,
    /** The forward could not be opened; the reason says why. It is retried on the live session. */
    FAILED
}
