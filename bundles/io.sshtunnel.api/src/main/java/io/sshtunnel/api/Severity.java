package io.sshtunnel.api;

/** How much a {@link Finding} matters. */
public enum Severity {
    /** Blocks the tunnel: it goes {@link TunnelState#INVALID}. */
    ERROR,
    /** Informs; the tunnel runs. */
    WARNING,
    /** Highlights something worth knowing, such as third-party access through a gateway mapping. */
    NOTICE
}
