package io.sshtunnel.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an operator needs to know about one tunnel at one moment: its state and why, the
 * mappings and theirs, the findings against its configuration, the next attempt. Never holds
 * a secret. Immutable.
 */
public final class TunnelStatus {
    private final TunnelSpec spec;
    private final TunnelState state;
    private final String reason;
    private final Instant since;
    private final Instant nextAttempt;
    private final int attempts;
    private final String serverFingerprint;
    private final List<MappingStatus> mappings;
    private final List<Finding> findings;
    private final TunnelCounters counters;

    public TunnelStatus(TunnelSpec spec, TunnelState state, String reason, Instant since, Instant nextAttempt,
            int attempts, String serverFingerprint, List<MappingStatus> mappings, List<Finding> findings) {
        this(spec, state, reason, since, nextAttempt, attempts, serverFingerprint, mappings, findings, TunnelCounters.NONE);
    }

    public TunnelStatus(TunnelSpec spec, TunnelState state, String reason, Instant since, Instant nextAttempt,
            int attempts, String serverFingerprint, List<MappingStatus> mappings, List<Finding> findings, TunnelCounters counters) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.state = Objects.requireNonNull(state, "state");
        this.reason = reason;
        this.since = Objects.requireNonNull(since, "since");
        this.nextAttempt = nextAttempt;
        this.attempts = attempts;
        this.serverFingerprint = serverFingerprint;
        this.mappings = List.copyOf(mappings);
        this.findings = List.copyOf(findings);
        this.counters = counters == null ? TunnelCounters.NONE : counters;
    }

    /** Connects, disconnects, the last keepalive round trip, and since when it has been unavailable. */
    public TunnelCounters counters() { return counters; }

    /** The configuration's PID. */
    public String id() { return spec.id(); }
    public String name() { return spec.name(); }
    /** The configuration as the engine reads it (no secrets). */
    public TunnelSpec spec() { return spec; }
    public TunnelState state() { return state; }
    /** Why the tunnel is in its state: the last error, or {@code null} when {@link TunnelState#UP}. */
    public String reason() { return reason; }
    /** When it entered its state. */
    public Instant since() { return since; }
    /** When the next connection attempt is due, in {@link TunnelState#RETRYING}; otherwise {@code null}. */
    public Instant nextAttempt() { return nextAttempt; }
    /** Connection attempts that failed in a row. */
    public int attempts() { return attempts; }
    /** The SHA256 fingerprint the server presented on the last connection, or {@code null}. */
    public String serverFingerprint() { return serverFingerprint; }
    public List<MappingStatus> mappings() { return mappings; }
    /** Findings against the configuration; with an {@link Severity#ERROR} the state is {@link TunnelState#INVALID}. */
    public List<Finding> findings() { return findings; }

    @Override
    public String toString() {
        return spec.name() + " " + state + (reason == null ? "" : " (" + reason + ")");
    }
}
