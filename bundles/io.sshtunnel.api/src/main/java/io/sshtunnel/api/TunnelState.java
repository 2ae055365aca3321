package io.sshtunnel.api;

/** The life cycle of a tunnel, as the contract names it. */
public enum TunnelState {
    /** Not enabled, or its owning module is inactive. */
    DISABLED,
    /** The configuration fails validation; the findings say why. */
    INVALID,
    /** Opening the SSH connection (TCP connect, handshake, authentication). */
    CONNECTING,
    /** Connected and every mapping is active. */
    UP,
    /** Connected, but some mappings failed, each with its reason. */
    DEGRADED,
    /** The connection was lost or refused; the next attempt time is known. */
    RETRYING,
    /** Will not retry until the configuration changes (host key mismatch, authentication rejected). */
    FAILED;

    /** Whether the SSH connection is established in this state. */
    public boolean isConnected() {
        return this == UP || this == DEGRADED;
    }
}
