package io.sshtunnel.api;

import java.time.Duration;
import java.time.Instant;

/** A tunnel's connection history since the engine started it. Immutable. */
public final class TunnelCounters {
    /** A tunnel that never connected. */
    public static final TunnelCounters NONE = new TunnelCounters(0, 0, null, null);

    private final long connects;
    private final long disconnects;
    private final Duration lastKeepaliveRoundTrip;
    private final Instant unavailableSince;

    public TunnelCounters(long connects, long disconnects, Duration lastKeepaliveRoundTrip, Instant unavailableSince) {
        this.connects = connects;
        this.disconnects = disconnects;
        this.lastKeepaliveRoundTrip = lastKeepaliveRoundTrip;
        this.unavailableSince = unavailableSince;
    }

    /** How often the SSH connection came up (with its mappings). */
    public long connects() { return connects; }
    /** How often a working connection was lost or taken down. */
    public long disconnects() { return disconnects; }
    /** The round trip of the last answered keepalive probe, or {@code null} before one was answered. */
    public Duration lastKeepaliveRoundTrip() { return lastKeepaliveRoundTrip; }
    /**
     * Since when an enabled, valid tunnel has been without a connection (connecting or retrying),
     * across attempts; {@code null} while it is connected, disabled, invalid or failed.
     */
    public Instant unavailableSince() { return unavailableSince; }
}
