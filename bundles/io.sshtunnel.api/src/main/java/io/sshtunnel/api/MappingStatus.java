package io.sshtunnel.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/** The state of one mapping of a tunnel at one moment. Immutable. */
public final class MappingStatus {
    private final int index;
    private final PortMapping mapping;
    private final MappingState state;
    private final String reason;
    private final Instant since;
    private final String service;
    private final MappingCounters counters;
    private final Function<Locale, String> localizedReason;

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
        this.localizedReason = null;
    }

    private MappingStatus(MappingStatus m, MappingCounters counters, Function<Locale, String> reason) {
        this.index = m.index;
        this.mapping = m.mapping;
        this.state = m.state;
        this.reason = m.reason;
        this.since = m.since;
        this.service = m.service;
        this.counters = counters == null ? MappingCounters.NONE : counters;
        this.localizedReason = reason;
    }

    /**
     * This status, with its reason also in other languages: {@link #reason(Locale)} asks it (a
     * {@code null} answer is the English one).
     *
     * @since 1.5
     */
    public MappingStatus withTranslation(Function<Locale, String> reason) {
        return new MappingStatus(this, counters, reason);
    }

    /**
     * This status with other counters, its translations kept.
     *
     * @since 1.5
     */
    public MappingStatus withCounters(MappingCounters counters) {
        return new MappingStatus(this, counters, localizedReason);
    }

    /** Its traffic since the tunnel started. */
    public MappingCounters counters() { return counters; }

    /** The 0-based index of the mapping in the configuration's {@code mappings}. */
    public int index() { return index; }
    public PortMapping mapping() { return mapping; }
    public MappingState state() { return state; }
    /** Why the mapping is not active ({@code null} when it is). */
    public String reason() { return reason; }
    /**
     * {@link #reason()} in the language of the locale (German or English).
     *
     * @since 1.5
     */
    public String reason(Locale locale) {
        String r = reason == null || localizedReason == null || locale == null ? null : localizedReason.apply(locale);
        return r != null ? r : reason;
    }
    /** When it entered its state. */
    public Instant since() { return since; }
    /** The template id that made the mapping (e.g. {@code ldap}, its {@code service=ID}), or {@code null}. */
    public String service() { return service; }
    /** Who can connect where through this mapping and what they reach, in one sentence; see {@link MappingExplainer}. */
    public String explanation(Locale locale) { return MappingExplainer.explain(mapping, locale); }

    @Override
    public String toString() {
        return mapping.format() + " " + state + (reason == null ? "" : " (" + reason + ")");
    }
}
