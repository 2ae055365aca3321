package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.config.ParsedConfig;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;

/**
 * Keeps one tunnel alive: connects, opens each mapping, probes the connection, reconnects with
 * back-off, and publishes services, events and status as it goes. Every change of state happens
 * on one serial executor; other threads only enqueue work and read the published snapshot.
 */
final class TunnelSupervisor implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelSupervisor.class);
    /** A connection that lived this long resets the reconnect back-off when it ends. */
    static final Duration STABLE = Duration.ofSeconds(10);

    private final Environment env;
    private final SerialExecutor serial;
    private final ServicePublisher publisher;
    private final AtomicReference<ParsedConfig> pending = new AtomicReference<>();
    private volatile boolean closed;
    private volatile Runnable cancelConnect;
    private volatile TunnelStatus status;

    // confined to the serial executor
    private volatile ParsedConfig config;
    private SshLink link;
    private Instant connectedAt;
    private final List<Slot> slots = new ArrayList<>();
    private TunnelState state;
    private String reason;
    private Instant since;
    private Instant nextAttempt;
    private int attempts;
    private String serverFingerprint;
    private Backoff backoff;
    private ScheduledFuture<?> reconnect;
    private Keepalive keepalive;
    private long generation;
    private boolean started;

    TunnelSupervisor(ParsedConfig initial, Environment env, ServicePublisher publisher) {
        this.env = env;
        this.serial = new SerialExecutor(env.workers());
        this.publisher = publisher;
        this.config = initial;
        this.state = TunnelState.DISABLED;
        this.since = env.clock().instant();
        this.backoff = new Backoff(initial.spec().reconnectMaxSeconds() * 1000L, env.random());
        this.status = snapshot();
    }

    // ---- Tunnel service -------------------------------------------------------------------

    @Override
    public String id() {
        return status.id();
    }

    @Override
    public String name() {
        return status.name();
    }

    @Override
    public TunnelStatus status() {
        return status;
    }

    // ---- called from any thread -----------------------------------------------------------

    /** Starts supervising with the initial configuration, or a newer one that arrived meanwhile. */
    void start() {
        ParsedConfig initial = config;
        serial.execute(() -> {
            ParsedConfig newer = pending.getAndSet(null);
            started = true;
            apply(newer != null ? newer : initial, true);
        });
    }

    /**
     * Applies a new configuration. Bursts coalesce: only the latest configuration waiting is
     * applied. A connection attempt in flight is abandoned when the connection settings change.
     */
    void update(ParsedConfig next) {
        if (pending.getAndSet(next) == null) {
            serial.execute(() -> {
                if (!started) {
                    return; // start() picks the newest configuration up
                }
                ParsedConfig latest = pending.getAndSet(null);
                if (latest != null) {
                    apply(latest, false);
                }
            });
        }
        Runnable cancel = cancelConnect;
        if (cancel != null && !sameConnection(config, next)) {
            cancel.run();
        }
    }

    /** Tears everything down and waits (bounded) until it is done. Idempotent. */
    void close(long waitMillis) {
        closed = true;
        Runnable cancel = cancelConnect;
        if (cancel != null) {
            cancel.run();
        }
        CountDownLatch done = new CountDownLatch(1);
        serial.execute(() -> {
            try {
                teardown("tunnel closed");
                publisher.closeAll();
                setState(TunnelState.DISABLED, "configuration removed or engine stopped");
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tunnel \"{}\" did not stop within {} ms", status.name(), waitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- serial executor only -------------------------------------------------------------

    private void apply(ParsedConfig next, boolean first) {
        if (closed) {
            return;
        }
        ParsedConfig previous = config;
        config = next;
        TunnelSpec spec = next.spec();
        backoff = new Backoff(spec.reconnectMaxSeconds() * 1000L, env.random());
        if (!spec.enabled()) {
            teardown("tunnel disabled");
            resetSlots(spec);
            setState(TunnelState.DISABLED, "enabled is false");
            return;
        }
        if (next.hasErrors()) {
            teardown("configuration invalid");
            resetSlots(spec);
            String why = next.findings().stream().filter(Finding::isError).map(Finding::message)
                    .collect(Collectors.joining("; "));
            setState(TunnelState.INVALID, why);
            for (Finding f : next.findings()) {
                if (f.isError()) {
                    LOG.warn("Tunnel \"{}\" is invalid: {}", spec.name(), f);
                }
            }
            return;
        }
        if (!first && link != null && link.isOpen() && sameConnection(previous, next)
                && (spec.fingerprint() == null || spec.fingerprint().equals(link.serverFingerprint()))) {
            reconcileMappings(spec);
            if (keepalive == null || keepalive.intervalSeconds() != spec.keepaliveSeconds()) {
                restartKeepalive(); // only a changed interval restarts the clock
            }
            updateConnectedState();
            return;
        }
        if (!first && link == null && state == TunnelState.FAILED && previous.spec().equals(spec)
                && Objects.equals(previous.credentials(), next.credentials())) {
            publishStatus(); // new findings (warnings) are shown; the tunnel stays FAILED
            return; // nothing changed that could make a retry succeed
        }
        if (!first && state == TunnelState.RETRYING && sameConnection(previous, next)
                && Objects.equals(previous.spec().fingerprint(), spec.fingerprint())) {
            resetSlots(spec); // keep waiting for the scheduled attempt with the new mappings
            publishStatus();
            return;
        }
        teardown("configuration changed");
        resetSlots(spec);
        backoff.reset();
        attempts = 0;
        connect();
    }

    private static boolean sameConnection(ParsedConfig a, ParsedConfig b) {
        if (a == null || b == null || a.hasErrors() || b.hasErrors()) {
            return false;
        }
        TunnelSpec x = a.spec();
        TunnelSpec y = b.spec();
        return Objects.equals(x.serverHost(), y.serverHost()) && x.serverPort() == y.serverPort()
                && Objects.equals(x.username(), y.username()) && x.connectTimeoutSeconds() == y.connectTimeoutSeconds()
                && x.enabled() == y.enabled() && Objects.equals(a.credentials(), b.credentials());
    }

    private void connect() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        TunnelSpec spec = config.spec();
        nextAttempt = null;
        setState(TunnelState.CONNECTING, attempts == 0 ? null : reason);
        // an R request waits at most one keepalive interval (2 to 10 s): see SshTransport
        Duration forwardWait = Duration.ofSeconds(Math.max(2, Math.min(10, spec.keepaliveSeconds())));
        ConnectRequest request = new ConnectRequest(spec.serverHost(), spec.serverPort(), config.credentials(),
                spec.fingerprint(), Duration.ofSeconds(spec.connectTimeoutSeconds()), forwardWait);
        SshLink opened;
        try {
            opened = connectOrFail(request);
        } catch (SshFailure f) {
            if (closed || gen != generation) {
                return;
            }
            attempts++;
            if (f.permanent()) {
                setState(TunnelState.FAILED, f.getMessage());
            } else {
                scheduleReconnect(f.getMessage());
            }
            return;
        } finally {
            cancelConnect = null;
        }
        if (closed || gen != generation || pending.get() != null && !sameConnection(config, pending.get())) {
            opened.close();
            return;
        }
        link = opened;
        connectedAt = env.clock().instant();
        attempts = 0;
        serverFingerprint = opened.serverFingerprint();
        SshLink current = opened;
        opened.onClose(why -> serial.execute(() -> linkClosed(current, why)));
        if (spec.fingerprint() == null && serverFingerprint != null) {
            LOG.info("Tunnel \"{}\": trusting host key {} of {} on first use", spec.name(), serverFingerprint, spec.server());
            String fp = serverFingerprint;
            env.workers().execute(() -> env.persistFingerprint(spec.id(), fp));
        }
        restartKeepalive();
        for (Slot s : slots) {
            openSlot(s);
        }
        updateConnectedState();
    }

    /** The connection, or why not: whatever goes wrong becomes a failure to retry, never a stuck state. */
    private SshLink connectOrFail(ConnectRequest request) throws SshFailure {
        try {
            return env.connect(request, hook -> cancelConnect = hook);
        } catch (RuntimeException e) {
            LOG.debug("Tunnel \"{}\": unexpected failure while connecting", config.spec().name(), e);
            throw new SshFailure(SshFailure.Kind.PROTOCOL, "connection to " + config.spec().server() + " failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void linkClosed(SshLink closedLink, String why) {
        if (closedLink != link) {
            return;
        }
        String cause = keepalive != null && keepalive.declaredDead() ? keepalive.deathReason() : why;
        link = null;
        stopKeepalive();
        for (Slot s : slots) {
            releaseSlot(s, "connection lost");
        }
        if (connectedAt != null && Duration.between(connectedAt, env.clock().instant()).compareTo(STABLE) >= 0) {
            backoff.reset();
        }
        LOG.info("Tunnel \"{}\" lost its connection to {}: {}", config.spec().name(), config.spec().server(), cause);
        if (!closed) {
            scheduleReconnect("connection lost: " + cause);
        }
    }

    private void scheduleReconnect(String why) {
        long delay = backoff.next();
        nextAttempt = env.clock().instant().plusMillis(delay);
        if (attempts > 1) {
            LOG.debug("Tunnel \"{}\": attempt {} failed, next in {} ms: {}", config.spec().name(), attempts, delay, why);
        }
        setState(TunnelState.RETRYING, why);
        long gen = ++generation;
        reconnect = env.timer().schedule(() -> serial.execute(() -> {
            if (gen == generation && !closed && state == TunnelState.RETRYING) {
                connect();
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection and every forward; cancels timers. Services of the mappings go too. */
    private void teardown(String why) {
        generation++;
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        nextAttempt = null;
        stopKeepalive();
        for (Slot s : slots) {
            releaseSlot(s, why);
        }
        SshLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    // ---- mappings -------------------------------------------------------------------------

    private void resetSlots(TunnelSpec spec) {
        for (Slot s : slots) {
            releaseSlot(s, null);
        }
        slots.clear();
        Instant now = env.clock().instant();
        List<PortMapping> ms = spec.mappings();
        for (int i = 0; i < ms.size(); i++) {
            slots.add(new Slot(i, ms.get(i), now, new Backoff(spec.reconnectMaxSeconds() * 1000L, env.random())));
        }
    }

    /** Keeps the forwards of mappings that stay, closes those removed, opens those added. */
    private void reconcileMappings(TunnelSpec spec) {
        Map<PortMapping, Slot> old = new HashMap<>();
        for (Slot s : slots) {
            old.put(s.mapping, s);
        }
        List<Slot> next = new ArrayList<>();
        List<Slot> added = new ArrayList<>();
        Map<Integer, MappingStatus> moves = new HashMap<>();
        Instant now = env.clock().instant();
        List<PortMapping> ms = spec.mappings();
        for (int i = 0; i < ms.size(); i++) {
            PortMapping m = ms.get(i);
            Slot s = old.remove(m);
            if (s == null) {
                s = new Slot(i, m, now, new Backoff(spec.reconnectMaxSeconds() * 1000L, env.random()));
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
            next.add(s);
        }
        // removed slots first, while every endpoint registration is still under its old index
        for (Slot gone : old.values()) {
            releaseSlot(gone, "mapping removed");
        }
        publisher.moveEndpoints(spec, moves);
        slots.clear();
        slots.addAll(next);
        for (Slot s : added) {
            openSlot(s);
        }
    }

    private void openSlot(Slot s) {
        if (link == null || closed) {
            return;
        }
        if (s.retry != null) {
            s.retry.cancel(false);
            s.retry = null;
        }
        TunnelSpec spec = config.spec();
        try {
            s.handle = link.forward(s.mapping);
            s.state = MappingState.ACTIVE;
            s.reason = null;
            s.since = env.clock().instant();
            s.backoff.reset();
            s.endpoint = new Endpoint(spec.id(), spec.name(), s.mapping, s.handle.boundAddress());
            try {
                publisher.endpointUp(spec, s.status(), s.endpoint);
            } catch (RuntimeException e) {
                s.handle.close(); // no service, no listener: retried like any failure
                s.handle = null;
                s.endpoint = null;
                throw e;
            }
            LOG.info("Tunnel \"{}\": mapping {} active at {}:{}", spec.name(), s.mapping.format(),
                    s.handle.boundAddress().getHostString(), s.handle.boundAddress().getPort());
            mappingEvent(s);
        } catch (IOException | RuntimeException e) {
            boolean firstFailure = s.state != MappingState.FAILED;
            s.state = MappingState.FAILED;
            s.reason = Diagnosis.mappingFailure(s.mapping, e);
            s.since = env.clock().instant();
            long delay = s.backoff.next();
            if (firstFailure) {
                LOG.warn("Tunnel \"{}\": mapping {} failed, retrying on the live connection: {}", spec.name(), s.mapping.format(), s.reason);
                mappingEvent(s);
            } else {
                LOG.debug("Tunnel \"{}\": mapping {} still failing, next try in {} ms: {}", spec.name(), s.mapping.format(), delay, s.reason);
            }
            SshLink l = link;
            s.retry = env.timer().schedule(() -> serial.execute(() -> {
                if (link == l && slots.contains(s) && s.state == MappingState.FAILED) {
                    openSlot(s);
                    updateConnectedState();
                }
            }), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void releaseSlot(Slot s, String why) {
        boolean wasActive = s.state == MappingState.ACTIVE;
        publisher.endpointDown(s.index);
        s.release(env.clock().instant(), why);
        if (wasActive && why != null) {
            s.state = MappingState.PENDING;
            Map<String, Object> p = eventProperties(config.spec(), why);
            addMapping(p, s);
            env.post(TOPIC_MAPPING + MappingState.FAILED.name(), p);
        }
    }

    private void mappingEvent(Slot s) {
        Map<String, Object> p = eventProperties(config.spec(), s.reason);
        addMapping(p, s);
        env.post(TOPIC_MAPPING + s.state.name(), p);
    }

    private static void addMapping(Map<String, Object> p, Slot s) {
        p.putAll(ServicePublisher.mappingProperties(s.status()));
        p.put(EVENT_MAPPING_INDEX, s.index);
    }

    // ---- keepalive ------------------------------------------------------------------------

    private void restartKeepalive() {
        stopKeepalive();
        if (link != null) {
            SshLink l = link;
            // close at once, not behind queued work: linkClosed() follows on the serial executor and reconnects
            keepalive = new Keepalive(l, config.spec().keepaliveSeconds(), env, l::close);
        }
    }

    private void stopKeepalive() {
        if (keepalive != null) {
            keepalive.stop();
        }
    }

    // ---- state ----------------------------------------------------------------------------

    private void updateConnectedState() {
        if (link == null) {
            return;
        }
        boolean all = slots.stream().allMatch(s -> s.state == MappingState.ACTIVE);
        if (all) {
            setState(TunnelState.UP, null);
        } else {
            String failed = slots.stream().filter(s -> s.state != MappingState.ACTIVE)
                    .map(s -> s.mapping.format() + ": " + s.reason).collect(Collectors.joining("; "));
            setState(TunnelState.DEGRADED, failed);
        }
    }

    private void setState(TunnelState next, String why) {
        TunnelState previous = state;
        boolean changed = previous != next || !Objects.equals(reason, why);
        if (previous != next) {
            since = env.clock().instant();
        }
        state = next;
        reason = why;
        TunnelSpec spec = config.spec();
        if (previous != next) {
            if (next == TunnelState.UP || next == TunnelState.DISABLED || next == TunnelState.CONNECTING) {
                LOG.info("Tunnel \"{}\" ({}) is {}", spec.name(), spec.server(), next);
            } else if (next == TunnelState.FAILED) {
                LOG.warn("Tunnel \"{}\" ({}) is FAILED and will not retry until its configuration changes: {}",
                        spec.name(), spec.server(), why);
            } else if (next == TunnelState.RETRYING && attempts > 1) {
                LOG.debug("Tunnel \"{}\" is {}: {}", spec.name(), next, why);
            } else {
                LOG.info("Tunnel \"{}\" ({}) is {}: {}", spec.name(), spec.server(), next, why);
            }
        }
        publishStatus();
        publisher.tunnel(this, spec, next);
        if (previous != next || changed && next == TunnelState.DEGRADED) {
            env.post(TOPIC_TUNNEL + next.name(), eventProperties(spec, why));
        }
    }

    private void publishStatus() {
        status = snapshot();
        env.statusChanged(status);
    }

    private TunnelStatus snapshot() {
        List<MappingStatus> ms = new ArrayList<>();
        if (slots.isEmpty() && config != null) {
            List<PortMapping> list = config.spec().mappings();
            for (int i = 0; i < list.size(); i++) {
                ms.add(new MappingStatus(i, list.get(i), MappingState.PENDING, null, since, null));
            }
        } else {
            for (Slot s : slots) {
                ms.add(s.status());
            }
        }
        return new TunnelStatus(config.spec(), state, reason, since, nextAttempt, attempts, serverFingerprint, ms,
                config.findings());
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
}
