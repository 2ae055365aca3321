package io.sshtunnel.core.engine;


import java.time.Duration;
import java.time.Instant;
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
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.config.ParsedConfig;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.common.Reason;
import io.sshtunnel.core.ssh.SshLink;

/**
 * Keeps one tunnel alive: connects, opens each mapping, probes the connection, reconnects with
 * back-off, and publishes services, events and status as it goes. Every change of state happens
 * on one serial executor; other threads only enqueue work and read the published snapshot.
 */
final class TunnelSupervisor implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelSupervisor.class);
    /** The most errors an INVALID tunnel's reason and log name; the rest are counted ("... and 99,900 more"). */
    static final int MAX_REASONS = 10;
    /** Warnings that a secret may be read by others: each is logged once, when it appears, not only shown. */
    private static final java.util.Set<String> LOGGED_WARNINGS = java.util.Set.of(io.sshtunnel.api.FindingCodes.KEY_FILE_PERMISSIONS,
            io.sshtunnel.api.FindingCodes.SECRET_FILE_PERMISSIONS);
    /** A connection that lived this long resets the reconnect back-off when it ends. */
    static final Duration STABLE = Duration.ofSeconds(10);

    private final Environment env;
    private final SerialExecutor serial;
    private final ServicePublisher publisher;
    private final AtomicReference<ParsedConfig> pending = new AtomicReference<>();
    private final TunnelReporter report;
    private final MappingSlots slots;
    private volatile boolean closed;
    private volatile Runnable cancelConnect;

    // confined to the serial executor
    private volatile ParsedConfig config;
    /** The open connection; read by the tunnels that pass through this one, so volatile. */
    private volatile SshLink link;
    /** The jump hosts' tunnels as the engine knows them (via). */
    private volatile Hops hops = Hops.NONE;
    /** Whether the last attempt waited for the jump host's tunnel: its coming up starts the next one at once. */
    private boolean waitingForHop;
    private Instant connectedAt;
    private Instant nextAttempt;
    private int attempts;
    private String serverFingerprint;
    private Backoff backoff;
    private ScheduledFuture<?> reconnect;
    private Keepalive keepalive;
    /** The target probe's task while connected with target.probe.seconds set, and its interval. */
    private java.util.concurrent.ScheduledFuture<?> probe;
    private int probeSeconds;
    /** The last keepalive round trip of this tunnel (any connection), read by status queries. */
    private volatile java.time.Duration lastRoundTrip;
    private long generation;
    private boolean started;

    TunnelSupervisor(ParsedConfig initial, Environment env, ServicePublisher publisher) {
        this.env = env;
        this.serial = new SerialExecutor(env.workers());
        this.publisher = publisher;
        this.config = initial;
        this.backoff = new Backoff(initial.spec().reconnectMaxSeconds() * 1000L, env.random());
        this.report = new TunnelReporter(env, publisher, this, new TunnelReporter.Facts() {
            @Override
            public ParsedConfig config() {
                return config;
            }

            @Override
            public List<MappingStatus> mappings() {
                return slots == null ? List.of() : slots.statuses();
            }

            @Override
            public Instant nextAttempt() {
                return nextAttempt;
            }

            @Override
            public int attempts() {
                return attempts;
            }

            @Override
            public String serverFingerprint() {
                return serverFingerprint;
            }
        });
        this.slots = new MappingSlots(env, serial, publisher, report, this::updateConnectedState);
    }

    // ---- Tunnel service -------------------------------------------------------------------

    @Override
    public String id() {
        return report.status().id();
    }

    @Override
    public String name() {
        return report.status().name();
    }

    /** Connects through the engine's tunnels ({@code via}), and tells it of this one's changes of state. */
    void hops(Hops h) {
        hops = h;
        report.onChange(state -> h.changed(name(), state));
    }

    /** The open connection while the tunnel is UP or DEGRADED, for a tunnel that passes through it; else null. */
    SshLink liveLink() {
        SshLink l = link;
        TunnelState s = report.status().state();
        return l != null && l.isOpen() && (s == TunnelState.UP || s == TunnelState.DEGRADED) ? l : null;
    }

    /**
     * The jump host's tunnel changed its state: once it is up, a tunnel that waits for it (retrying,
     * or failed because the jump host failed) tries at once instead of at its next retry.
     */
    void hopChanged(TunnelState hopState) {
        if (hopState != TunnelState.UP && hopState != TunnelState.DEGRADED) {
            return;
        }
        serial.execute(() -> {
            TunnelState now = report.state();
            if (closed || !waitingForHop || link != null || (now != TunnelState.RETRYING && now != TunnelState.FAILED)) {
                return;
            }
            if (reconnect != null) {
                reconnect.cancel(false);
                reconnect = null;
            }
            backoff.reset();
            connect();
        });
    }

    /** The configuration as last applied, with its findings. */
    ParsedConfig parsedConfig() {
        return config;
    }

    @Override
    public TunnelStatus status() {
        return Live.overlay(report.status(), lastRoundTrip, slots.traffic());
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
        CountDownLatch[] unregistered = new CountDownLatch[1];
        serial.execute(() -> {
            try {
                teardown(Reason.of("reason.mapping.closed"));
                unregistered[0] = publisher.closeAll();
                report.state(TunnelState.DISABLED, Reason.of("reason.removed"));
            } finally {
                done.countDown();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tunnel \"{}\" did not stop within {} ms", name(), waitMillis);
            } else if (unregistered[0] != null
                    && !unregistered[0].await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                // the services go as soon as the consumer holding them lets go
                LOG.warn("Tunnel \"{}\" stopped, but its services were not unregistered within {} ms: a consumer is slow to let go",
                        name(), waitMillis);
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
        for (Finding f : next.findings()) {
            if (LOGGED_WARNINGS.contains(f.code()) && (first || previous == null || !previous.findings().contains(f))) {
                LOG.warn("Tunnel \"{}\": {}", spec.name(), f);
            }
        }
        backoff = new Backoff(spec.reconnectMaxSeconds() * 1000L, env.random());
        if (!spec.enabled()) {
            teardown(Reason.of("reason.mapping.disabled"));
            slots.reset(spec);
            report.state(TunnelState.DISABLED, Reason.of("reason.disabled"));
            return;
        }
        if (next.suspended() != null && !next.hasErrors()) {
            teardown(Reason.of("reason.mapping.moduleInactive"));
            slots.reset(spec);
            report.state(TunnelState.DISABLED, Reason.of("reason.moduleInactive", spec.owner()));
            return;
        }
        if (next.hasErrors()) {
            teardown(Reason.of("reason.mapping.invalid"));
            slots.reset(spec);
            List<Finding> errors = next.findings().stream().filter(Finding::isError).collect(Collectors.toList());
            report.state(TunnelState.INVALID, Finding.join(errors, MAX_REASONS));
            for (Finding f : Finding.bounded(errors, MAX_REASONS)) {
                LOG.warn("Tunnel \"{}\" is invalid: {}", spec.name(), f);
            }
            return;
        }
        if (!first && link != null && link.isOpen() && sameConnection(previous, next)
                && (spec.fingerprint() == null || spec.fingerprint().equals(link.serverFingerprint()))) {
            slots.reconcile(spec);
            if (keepalive == null || keepalive.intervalSeconds() != spec.keepaliveSeconds() || probeSeconds != spec.targetProbeSeconds()) {
                restartKeepalive(); // only a changed interval restarts the clock
            }
            updateConnectedState();
            return;
        }
        if (!first && link == null && report.state() == TunnelState.FAILED && previous.spec().equals(spec)
                && Objects.equals(previous.credentials(), next.credentials())) {
            report.publish(); // new findings (warnings) are shown; the tunnel stays FAILED
            return; // nothing changed that could make a retry succeed
        }
        if (!first && report.state() == TunnelState.RETRYING && sameConnection(previous, next)
                && Objects.equals(previous.spec().fingerprint(), spec.fingerprint())) {
            slots.reset(spec); // keep waiting for the scheduled attempt with the new mappings
            report.publish();
            return;
        }
        teardown(Reason.of("reason.mapping.changed"));
        slots.reset(spec);
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
                && x.enabled() == y.enabled() && Objects.equals(a.suspended(), b.suspended()) && Objects.equals(x.via(), y.via())
                && Objects.equals(x.proxy(), y.proxy()) && Objects.equals(x.proxyUsername(), y.proxyUsername())
                && Objects.equals(a.credentials(), b.credentials());
    }

    private void connect() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        TunnelSpec spec = config.spec();
        nextAttempt = null;
        report.state(TunnelState.CONNECTING, attempts == 0 ? null : report.reason());
        SshLink opened;
        try {
            opened = connectOrFail(spec);
        } catch (SshFailure f) {
            if (closed || gen != generation) {
                return;
            }
            attempts++;
            if (f.permanent()) {
                report.state(TunnelState.FAILED, f.reason());
            } else {
                scheduleReconnect(f.reason());
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
        if (serverFingerprint != null && spec.fingerprint() == null) {
            String known = env.knownFingerprint(spec.serverHost(), spec.serverPort());
            String trusted = env.hostKeyTrusted(spec.serverHost(), spec.serverPort(), serverFingerprint, false);
            if (!serverFingerprint.equals(trusted)) {
                // another tunnel trusted another key for this server meanwhile: one of the two answers is not the server
                opened.close();
                link = null;
                report.state(TunnelState.FAILED, Reason.of("reason.trustConflict", spec.server(), serverFingerprint, trusted));
                return;
            }
            if (serverFingerprint.equals(known)) {
                LOG.info("Tunnel \"{}\": host key {} of {} is the one trusted before; pinning it in the configuration again",
                        spec.name(), serverFingerprint, spec.server());
            } else {
                LOG.info("Tunnel \"{}\": trusting host key {} of {} on first use", spec.name(), serverFingerprint, spec.server());
            }
            // Pinned before the tunnel reports UP, on this worker: Config Admin has no compare-and-set,
            // so a write racing an operator's edit can lose it. An operator (or a test) reacting to UP
            // edits after the pin; and UP always means the trusted key is in the configuration.
            env.persistFingerprint(spec.id(), serverFingerprint);
            if (closed || gen != generation) {
                opened.close();
                link = null;
                return;
            }
        } else if (serverFingerprint != null) {
            env.hostKeyTrusted(spec.serverHost(), spec.serverPort(), serverFingerprint, true);
        }
        restartKeepalive();
        slots.attach(opened);
        updateConnectedState();
    }

    /** The connection, or why not: whatever goes wrong becomes a failure to retry, never a stuck state. */
    private SshLink connectOrFail(TunnelSpec spec) throws SshFailure {
        waitingForHop = false;
        SshLink hop = null;
        if (spec.via() != null) {
            Hops.Hop h = hops.find(spec.via());
            if (h == null) {
                waitingForHop = true;
                throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.hopMissing", spec.via()), null);
            }
            if (h.link == null || !h.link.isOpen()) {
                waitingForHop = true;
                // a hop that cannot log in (its key changed, its password rejected) stops this one as it stops itself
                if (h.state == TunnelState.FAILED) {
                    throw new SshFailure(SshFailure.Kind.HOP, Reason.of("reason.hopFailed", spec.via(), h.reason == null
                            ? Reason.literal(h.state.name()) : h.reason), null);
                }
                throw new SshFailure(SshFailure.Kind.NETWORK, h.reason == null ? Reason.of("reason.hopDownNoReason", spec.via(), h.state)
                        : Reason.of("reason.hopDown", spec.via(), h.state, h.reason), null);
            }
            hop = h.link;
        }
        try {
            // an R request waits at most one keepalive interval (2 to 10 s): see SshTransport
            Duration forwardWait = Duration.ofSeconds(Math.max(2, Math.min(10, spec.keepaliveSeconds())));
            // a configuration without a fingerprint is held to the key trusted before for its server, if any
            String expected = spec.fingerprint() != null ? spec.fingerprint() : env.knownFingerprint(spec.serverHost(), spec.serverPort());
            if (expected == null && spec.fingerprintRequired()) {
                throw new SshFailure(SshFailure.Kind.NOT_PINNED, Reason.of("reason.notPinned"), null);
            }
            ConnectRequest request = new ConnectRequest(spec.serverHost(), spec.serverPort(), config.credentials(),
                    expected, Duration.ofSeconds(spec.connectTimeoutSeconds()), forwardWait);
            if (hop != null) {
                request = request.through(hop, spec.via());
            } else if (spec.proxy() != null) {
                request = request.throughProxy(spec.proxy(), spec.proxyUsername());
            }
            return env.connect(request, hook -> cancelConnect = hook);
        } catch (RuntimeException e) {
            LOG.debug("Tunnel \"{}\": unexpected failure while connecting", config.spec().name(), e);
            throw new SshFailure(SshFailure.Kind.PROTOCOL, Reason.of("reason.protocol", config.spec().server(),
                    e.getClass().getSimpleName() + ": " + e.getMessage()), e);
        }
    }

    private void linkClosed(SshLink closedLink, String why) {
        if (closedLink != link) {
            return;
        }
        Reason cause = keepalive != null && keepalive.declaredDead() ? keepalive.deathReason() : Reason.literal(why);
        link = null;
        stopKeepalive();
        slots.detach(Reason.of("reason.mapping.connectionLost"));
        if (connectedAt != null && Duration.between(connectedAt, env.clock().instant()).compareTo(STABLE) >= 0) {
            backoff.reset();
        }
        LOG.info("Tunnel \"{}\" lost its connection to {}: {}", config.spec().name(), config.spec().server(), cause);
        if (!closed) {
            scheduleReconnect(Reason.of("reason.connectionLost", cause));
        }
    }

    private void scheduleReconnect(Reason why) {
        long delay = backoff.next();
        nextAttempt = env.clock().instant().plusMillis(delay);
        if (attempts > 1) {
            LOG.debug("Tunnel \"{}\": attempt {} failed, next in {} ms: {}", config.spec().name(), attempts, delay, why);
        }
        report.state(TunnelState.RETRYING, why);
        long gen = ++generation;
        reconnect = env.timer().schedule(() -> serial.execute(() -> {
            if (gen == generation && !closed && report.state() == TunnelState.RETRYING) {
                connect();
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection and every forward; cancels timers. Services of the mappings go too. */
    private void teardown(Reason why) {
        generation++;
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        nextAttempt = null;
        stopKeepalive();
        slots.detach(why);
        SshLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    // ---- keepalive ------------------------------------------------------------------------

    private void restartKeepalive() {
        stopKeepalive();
        if (link != null) {
            SshLink l = link;
            // close at once, not behind queued work: linkClosed() follows on the serial executor and reconnects
            keepalive = new Keepalive(l, config.spec().keepaliveSeconds(), env, l::close,
                    nanos -> lastRoundTrip = java.time.Duration.ofNanos(nanos));
            startProbe(l);
        }
    }

    private void stopKeepalive() {
        if (keepalive != null) {
            keepalive.stop();
        }
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
    }

    /** Every target.probe.seconds: each active mapping's target, probed on a worker, the results applied here. */
    private void startProbe(SshLink l) {
        int seconds = config.spec().targetProbeSeconds();
        probeSeconds = seconds;
        if (seconds <= 0) {
            return;
        }
        java.time.Duration timeout = java.time.Duration.ofSeconds(Math.max(1, Math.min(seconds, config.spec().connectTimeoutSeconds())));
        java.util.concurrent.atomic.AtomicBoolean inFlight = new java.util.concurrent.atomic.AtomicBoolean();
        probe = env.timer().scheduleWithFixedDelay(() -> serial.execute(() -> {
            Map<io.sshtunnel.api.PortMapping, SshLink> targets = slots.probeable();
            if (link != l || !l.isOpen() || targets.isEmpty() || !inFlight.compareAndSet(false, true)) {
                return; // one probe at a time: a slow one is not joined by the next
            }
            env.workers().execute(() -> {
                try {
                    Map<io.sshtunnel.api.PortMapping, String> results = new java.util.HashMap<>();
                    targets.forEach((m, on) -> results.put(m, on.probeTarget(m, timeout)));
                    serial.execute(() -> {
                        if (slots.probed(l, results)) {
                            report.publish();
                        }
                    });
                } finally {
                    inFlight.set(false);
                }
            });
        }), seconds, seconds, TimeUnit.SECONDS);
    }

    // ---- state ----------------------------------------------------------------------------

    private void updateConnectedState() {
        if (link == null) {
            return;
        }
        if (slots.allActive()) {
            report.state(TunnelState.UP, (Reason) null);
        } else {
            report.state(TunnelState.DEGRADED, slots.failures());
        }
    }
}
