package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelCounters;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.config.ParsedConfig;
import io.sshtunnel.common.Reason;

/**
 * What the world sees of one tunnel: its state and reason, the published {@link TunnelStatus}
 * snapshot, the {@link Tunnel} service, the log lines and the events of each change. Touched only
 * on the tunnel's serial executor, except {@link #status()}.
 */
final class TunnelReporter {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelReporter.class);

    /** What the snapshot needs from the supervisor. */
    interface Facts {
        ParsedConfig config();

        /** The mappings' statuses, or empty before the mappings exist. */
        List<MappingStatus> mappings();

        Instant nextAttempt();

        int attempts();

        String serverFingerprint();
    }

    private final Environment env;
    private final ServicePublisher publisher;
    private final Tunnel service;
    private final Facts facts;
    private TunnelState state = TunnelState.DISABLED;
    /** Before the supervisor starts, its configuration is being checked. */
    private Reason reason = Reason.of("reason.notStarted");
    private Instant since;
    private long connects;
    private long disconnects;
    /** Start of the current outage of an enabled, valid tunnel (connecting or retrying), or null. */
    private Instant unavailableSince;
    private volatile TunnelStatus status;
    /** Told of each change of state (the tunnels that pass through this one follow it); may be null. */
    private volatile java.util.function.Consumer<TunnelState> onChange;

    TunnelReporter(Environment env, ServicePublisher publisher, Tunnel service, Facts facts) {
        this.env = env;
        this.publisher = publisher;
        this.service = service;
        this.facts = facts;
        this.since = env.clock().instant();
        this.status = snapshot();
    }

    TunnelStatus status() {
        return status;
    }

    TunnelState state() {
        return state;
    }

    Reason reason() {
        return reason;
    }

    void onChange(java.util.function.Consumer<TunnelState> listener) {
        this.onChange = listener;
    }

    void state(TunnelState next, String why) {
        state(next, Reason.literal(why));
    }

    /** Moves to a state: logs the change, publishes the status and the {@link Tunnel} service, posts the event. */
    void state(TunnelState next, Reason why) {
        TunnelState previous = state;
        boolean changed = previous != next || !Objects.equals(reason, why);
        if (previous != next) {
            since = env.clock().instant();
            count(previous, next);
        }
        state = next;
        reason = why;
        TunnelSpec spec = facts.config().spec();
        if (previous != next) {
            log(spec, next, Reason.english(why));
        }
        publish();
        publisher.tunnel(service, spec, next);
        if (previous != next || changed && next == TunnelState.DEGRADED) {
            env.post(TOPIC_TUNNEL + next.name(), eventProperties(spec, Reason.english(why)));
        }
        java.util.function.Consumer<TunnelState> l = onChange;
        if (previous != next && l != null) {
            l.accept(next);
        }
    }

    private static boolean connected(TunnelState s) {
        return s == TunnelState.UP || s == TunnelState.DEGRADED;
    }

    private void count(TunnelState previous, TunnelState next) {
        if (connected(next) && !connected(previous)) {
            connects++;
        } else if (connected(previous) && !connected(next)) {
            disconnects++;
        }
        if (next == TunnelState.CONNECTING || next == TunnelState.RETRYING) {
            if (unavailableSince == null) {
                unavailableSince = since;
            }
        } else {
            unavailableSince = null;
        }
    }

    private void log(TunnelSpec spec, TunnelState next, String why) {
        if (next == TunnelState.UP || next == TunnelState.DISABLED || next == TunnelState.CONNECTING) {
            LOG.info("Tunnel \"{}\" ({}) is {}", spec.name(), spec.server(), next);
        } else if (next == TunnelState.FAILED) {
            LOG.warn("Tunnel \"{}\" ({}) is FAILED and will not retry until its configuration changes: {}",
                    spec.name(), spec.server(), why);
        } else if (next == TunnelState.RETRYING && facts.attempts() > 1) {
            LOG.debug("Tunnel \"{}\" is {}: {}", spec.name(), next, why);
        } else {
            LOG.info("Tunnel \"{}\" ({}) is {}: {}", spec.name(), spec.server(), next, why);
        }
    }

    /** Publishes a new snapshot without a change of state (new findings, a mapping's change). */
    void publish() {
        status = snapshot();
        env.statusChanged(status);
    }

    /** Posts a mapping event: {@code io/sshtunnel/Mapping/ACTIVE} or {@code .../FAILED}. */
    void mappingEvent(MappingStatus mapping, MappingState topic, String why) {
        Map<String, Object> p = eventProperties(facts.config().spec(), why);
        p.putAll(ServicePublisher.mappingProperties(mapping));
        p.put(EVENT_MAPPING_INDEX, mapping.index());
        env.post(TOPIC_MAPPING + topic.name(), p);
    }

    private Map<String, Object> eventProperties(TunnelSpec spec, String why) {
        Map<String, Object> p = new HashMap<>(ServicePublisher.tunnelProperties(spec));
        p.put(TUNNEL_STATE, state.name());
        if (why != null) {
            p.put(EVENT_REASON, why);
        }
        p.put(EVENT_TIMESTAMP, env.clock().millis());
        return p;
    }

    /** The most mappings a status lists: as many as a valid tunnel may have. */
    static final int MAX_REPORTED_MAPPINGS = 100;
    /** The most findings a status lists; the rest are counted in one more ("... and 99,900 more"). */
    static final int MAX_REPORTED_FINDINGS = 50;

    private TunnelStatus snapshot() {
        ParsedConfig config = facts.config();
        List<MappingStatus> ms = facts.mappings();
        if (ms.isEmpty()) {
            ms = new ArrayList<>();
            List<PortMapping> list = config.spec().mappings();
            for (int i = 0; i < list.size() && i < MAX_REPORTED_MAPPINGS; i++) {
                ms.add(new MappingStatus(i, list.get(i), MappingState.PENDING, null, since, null));
            }
        }
        // a valid tunnel has at most 100 mappings and a few findings each; a refused one is reported as far as that
        Reason why = reason;
        return new TunnelStatus(config.spec(), state, Reason.english(why), since, facts.nextAttempt(), facts.attempts(),
                facts.serverFingerprint(), ms.size() > MAX_REPORTED_MAPPINGS ? ms.subList(0, MAX_REPORTED_MAPPINGS) : ms,
                Finding.bounded(config.findings(), MAX_REPORTED_FINDINGS),
                new TunnelCounters(connects, disconnects, null, unavailableSince))
                .withTranslations(why == null ? null : why::in, null);
    }
}
