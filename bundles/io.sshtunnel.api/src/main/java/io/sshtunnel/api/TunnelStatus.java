package io.sshtunnel.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

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
    private final Function<Locale, String> localizedReason;
    private final Function<Locale, List<Finding>> localizedFindings;

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
        this.localizedReason = null;
        this.localizedFindings = null;
    }

    private TunnelStatus(TunnelStatus s, Function<Locale, String> reason, Function<Locale, List<Finding>> findings) {
        this.spec = s.spec;
        this.state = s.state;
        this.reason = s.reason;
        this.since = s.since;
        this.nextAttempt = s.nextAttempt;
        this.attempts = s.attempts;
        this.serverFingerprint = s.serverFingerprint;
        this.mappings = s.mappings;
        this.findings = s.findings;
        this.counters = s.counters;
        this.localizedReason = reason;
        this.localizedFindings = findings;
    }

    /**
     * This status, with its reason and findings also in other languages: {@link #reason(Locale)}
     * and {@link #findings(Locale)} ask these (a {@code null} answer is the English one).
     *
     * @since 1.5
     */
    public TunnelStatus withTranslations(Function<Locale, String> reason, Function<Locale, List<Finding>> findings) {
        return new TunnelStatus(this, reason, findings);
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
    /**
     * {@link #reason()} in the language of the locale (German or English; the words only, codes
     * and values stay as they are). Logs and events carry the English {@link #reason()}.
     *
     * @since 1.5
     */
    public String reason(Locale locale) {
        String r = reason == null || localizedReason == null || locale == null ? null : localizedReason.apply(locale);
        return r != null ? r : reason;
    }
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
    /**
     * {@link #findings()} with their messages in the language of the locale.
     *
     * @since 1.5
     */
    public List<Finding> findings(Locale locale) {
        List<Finding> f = findings.isEmpty() || localizedFindings == null || locale == null ? null : localizedFindings.apply(locale);
        return f != null ? List.copyOf(f) : findings;
    }

    @Override
    public String toString() {
        return spec.name() + " " + state + (reason == null ? "" : " (" + reason + ")");
    }
}
