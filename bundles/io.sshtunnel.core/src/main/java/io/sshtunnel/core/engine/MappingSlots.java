package io.sshtunnel.core.engine;

import io.sshtunnel.common.Reason;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.core.ssh.SshLink;

/**
 * The mappings of one tunnel on its current connection: opens each forward, publishes its
 * {@link io.sshtunnel.api.TunnelEndpoint} while it works, retries a failed one on the live
 * connection with its own back-off, and keeps the forwards of mappings that stay when the
 * configuration changes. Touched only on the tunnel's serial executor.
 */
final class MappingSlots {
    private static final Logger LOG = LoggerFactory.getLogger(MappingSlots.class);

    private final Environment env;
    private final Executor serial;
    private final ServicePublisher publisher;
    private final TunnelReporter reporter;
    /** Called after a retried mapping opened or failed again: the tunnel's state may change. */
    private final Runnable retried;
    private final List<Slot> slots = new ArrayList<>();
    /** Each slot's traffic by index, for status queries from any thread; replaced whenever the slots change. */
    private volatile List<Live.Counted> traffic = List.of();
    private TunnelSpec spec;
    private SshLink link;

    MappingSlots(Environment env, Executor serial, ServicePublisher publisher, TunnelReporter reporter, Runnable retried) {
        this.env = env;
        this.serial = serial;
        this.publisher = publisher;
        this.reporter = reporter;
        this.retried = retried;
    }

    /** Forgets every mapping (quietly) and makes new ones, all pending, for the spec. */
    void reset(TunnelSpec next) {
        for (Slot s : slots) {
            release(s, null);
        }
        slots.clear();
        spec = next;
        Instant now = env.clock().instant();
        List<PortMapping> ms = next.mappings();
        for (int i = 0; i < ms.size(); i++) {
            slots.add(newSlot(i, ms.get(i), now));
        }
        publishTraffic();
    }

    private void publishTraffic() {
        traffic = slots.stream().map(s -> new Live.Counted(s.mapping, s.traffic)).collect(Collectors.toUnmodifiableList());
    }

    /** Each mapping's traffic, by index; safe from any thread. */
    List<Live.Counted> traffic() {
        return traffic;
    }

    private Slot newSlot(int index, PortMapping mapping, Instant now) {
        return new Slot(index, mapping, now, new Backoff(spec.reconnectMaxSeconds() * 1000L, env.random()));
    }

    /** Keeps the forwards of mappings that stay, closes those removed, opens those added. */
    void reconcile(TunnelSpec next) {
        spec = next;
        Map<PortMapping, Slot> old = new HashMap<>();
        for (Slot s : slots) {
            old.put(s.mapping, s);
        }
        List<Slot> kept = new ArrayList<>();
        List<Slot> added = new ArrayList<>();
        Map<Integer, MappingStatus> moves = new HashMap<>();
        Instant now = env.clock().instant();
        List<PortMapping> ms = next.mappings();
        for (int i = 0; i < ms.size(); i++) {
            PortMapping m = ms.get(i);
            Slot s = old.remove(m);
            if (s == null) {
                s = newSlot(i, m, now);
                added.add(s);
            } else {
                int from = s.index;
                s.index = i;
                s.mapping = m; // the label may have changed
                if (s.endpoint != null) {
                    s.endpoint.relabel(m);
                }
                if (s.state == MappingState.ACTIVE) {
                    moves.put(from, s.status());
                }
            }
            kept.add(s);
        }
        // removed slots first, while every endpoint registration is still under its old index
        for (Slot gone : old.values()) {
            release(gone, Reason.of("reason.mapping.removed"));
        }
        publisher.moveEndpoints(next, moves);
        slots.clear();
        slots.addAll(kept);
        publishTraffic();
        for (Slot s : added) {
            open(s);
        }
    }

    /** A new connection: opens every mapping on it. */
    void attach(SshLink l) {
        link = l;
        for (Slot s : slots) {
            open(s);
        }
    }

    /** The connection is gone or going: every forward closes, with that reason, and its service goes. */
    void detach(Reason why) {
        link = null;
        for (Slot s : slots) {
            release(s, why);
        }
    }

    /** The active mappings and the connection they are on, for a probe of their targets. */
    Map<PortMapping, SshLink> probeable() {
        Map<PortMapping, SshLink> out = new java.util.LinkedHashMap<>();
        for (Slot s : slots) {
            if (s.state == MappingState.ACTIVE && link != null && s.mapping.kind() != io.sshtunnel.api.MappingKind.D) {
                out.put(s.mapping, link); // a D mapping has no target of its own to probe
            }
        }
        return out;
    }

    /** What a probe found, by mapping ({@code null}: answered); ignored when the connection changed meanwhile. Returns whether anything changed. */
    boolean probed(SshLink on, Map<PortMapping, String> results) {
        if (on != link || !on.isOpen()) {
            return false; // the connection went meanwhile: its failures are no target's
        }
        boolean changed = false;
        for (Slot s : slots) {
            if (s.state != MappingState.ACTIVE || !results.containsKey(s.mapping)) {
                continue;
            }
            String why = results.get(s.mapping);
            if (!java.util.Objects.equals(why, s.probeFailure)) {
                if (why != null) {
                    LOG.warn("Tunnel \"{}\": mapping {} is up, but its {}", spec.name(), s.mapping.format(), why);
                } else {
                    LOG.info("Tunnel \"{}\": the target of mapping {} answers again", spec.name(), s.mapping.format());
                }
                s.probeFailure = why;
                changed = true;
            }
        }
        return changed;
    }

    boolean allActive() {
        return slots.stream().allMatch(s -> s.state == MappingState.ACTIVE);
    }

    /** The mappings not active, each with its reason. */
    Reason failures() {
        return Reason.join("; ", slots.stream().filter(s -> s.state != MappingState.ACTIVE)
                .map(s -> Reason.join(": ", List.of(Reason.literal(s.mapping.format()),
                        s.reason == null ? Reason.literal("null") : s.reason)))
                .collect(Collectors.toList()));
    }

    List<MappingStatus> statuses() {
        List<MappingStatus> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(s.status());
        }
        return out;
    }

    private void open(Slot s) {
        if (link == null) {
            return;
        }
        if (s.retry != null) {
            s.retry.cancel(false);
            s.retry = null;
        }
        try {
            s.handle = link.forward(s.mapping, s.traffic);
            s.state = MappingState.ACTIVE;
            s.reason = null;
            s.since = env.clock().instant();
            s.backoff.reset();
            s.endpoint = new Endpoint(spec.id(), spec.name(), spec.owner(), s.mapping, s.handle.boundAddress());
            // queued: the registration runs on the publisher's own executor (a consumer's activation
            // never holds this tunnel); one that fails there (the bundle stopping) is logged
            publisher.endpointUp(spec, s.status(), s.endpoint);
            // MINA reports a listener on every interface by one of its addresses: say what it listens on
            LOG.info("Tunnel \"{}\": mapping {} active at {}:{}", spec.name(), s.mapping.format(),
                    io.sshtunnel.api.PortMapping.WILDCARD.equals(s.mapping.bindHost()) ? "* (every interface)" : s.handle.boundAddress().getHostString(),
                    s.handle.boundAddress().getPort());
            reporter.mappingEvent(s.status(), s.state, Reason.english(s.reason));
        } catch (IOException | RuntimeException e) {
            failed(s, e);
        }
    }

    private void failed(Slot s, Exception e) {
        boolean firstFailure = s.state != MappingState.FAILED;
        s.state = MappingState.FAILED;
        s.reason = Diagnosis.mappingFailure(s.mapping, e);
        s.since = env.clock().instant();
        long delay = s.backoff.next();
        if (firstFailure) {
            LOG.warn("Tunnel \"{}\": mapping {} failed, retrying on the live connection: {}", spec.name(), s.mapping.format(), s.reason);
            reporter.mappingEvent(s.status(), s.state, Reason.english(s.reason));
        } else {
            LOG.debug("Tunnel \"{}\": mapping {} still failing, next try in {} ms: {}", spec.name(), s.mapping.format(), delay, s.reason);
        }
        SshLink l = link;
        s.retry = env.timer().schedule(() -> serial.execute(() -> {
            if (link == l && slots.contains(s) && s.state == MappingState.FAILED) {
                open(s);
                retried.run();
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    private void release(Slot s, Reason why) {
        boolean wasActive = s.state == MappingState.ACTIVE;
        publisher.endpointDown(s.index);
        s.release(env.clock().instant(), why);
        if (wasActive && why != null) {
            s.state = MappingState.PENDING;
            reporter.mappingEvent(s.status(), MappingState.FAILED, why.english());
        }
    }
}
