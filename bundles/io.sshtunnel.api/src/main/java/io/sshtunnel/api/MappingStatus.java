package io.sshtunnel.api;

import java.time.Instant;
import java.util.Objects;

/** The state of one mapping of a tunnel at one moment. Immutable. */
public final class MappingStatus {
    private final int index;
    private final PortMapping mapping;
    private final MappingState state;
    private final String reason;
    private final Instant since;
    private final String service;
    private final MappingCounters counters;

    public MappingStatus(int index, PortMapping mapping, MappingState state, String reason, Instant since, String service) {
        this(index, mapping, state, reason, since, service, MappingCounters.NONE);
    }

    public MappingStatus(int index, PortMapping mapping, MappingState state, String reason, Instant since, String service,
            MappingCounters counters) {
        this.index = index;
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.state = Objects.requireNonNull(state, "state");
        this.reason = reason;
        this.since = Objects.requireNonNull(since, "since");
        this.service = service != null ? service : mapping.service();
        this.counters = counters == null ? MappingCounters.NONE : counters;
    }

    /** Its traffic since the tunnel started. */
    public MappingCounters counters() { return counters; }

    /** The 0-based index of the mapping in the configuration's {@code mappings}. */
    public int index() { return index; }
    public PortMapping mapping() { return mapping; }
    public MappingState state() { return state; }
    /** Why the mapping is not active ({@code null} when it is). */
    public String reason() { return reason; }
    /** When it entered its state. */
    public Instant since() { return since; }
    /** The template id that made the mapping (e.g. {@code ldap}, its {@code service=ID}), or {@code null}. */
    public String service() { return service; }
    /** Who can connect where through this mapping and what they reach, in one sentence; see {@link MappingExplainer}. */
    public String explanation(java.util.Locale locale) { return MappingExplainer.explain(mapping, locale); }

    @Override
    public String toString() {
        return mapping.format() + " " + state + (reason == null ? "" : " (" + reason + ")");
    }
}
