package io.sshtunnel.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;

/**
 * The supervisor's environment for tests: connects answer from a queue of prepared outcomes,
 * the timer is a {@link ManualScheduler}, workers run synchronously, the clock moves only when
 * told, and events, statuses and persisted fingerprints are recorded.
 */
final class FakeEnvironment implements Environment {
    /** One posted event. */
    static final class Event {
        final String topic;
        final Map<String, Object> properties;

        Event(String topic, Map<String, Object> properties) {
            this.topic = topic;
            this.properties = Map.copyOf(properties);
        }

        @Override
        public String toString() {
            return topic + " " + properties;
        }
    }

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-01-06T08:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualScheduler timer = new ManualScheduler();
    /** The monotonic time, when a test sets it; else the system's. */
    Long nanos;
    final ManualClock clock = new ManualClock();
    final Deque<Object> outcomes = new ArrayDeque<>();
    final List<ConnectRequest> requests = new ArrayList<>();
    final List<String> persisted = new ArrayList<>();
    final Map<String, String> knownHosts = new java.util.HashMap<>();
    final List<Event> events = new ArrayList<>();
    final List<TunnelStatus> statuses = new ArrayList<>();
    int cancelHooks;
    /** Runs inside each connect, as if another thread did something meanwhile. */
    Runnable duringConnect = () -> { };
    double random = 0.0;

    /** The next connect returns this link. */
    FakeEnvironment thenConnect(FakeLink link) {
        outcomes.add(link);
        return this;
    }

    /** The next connect fails so. */
    FakeEnvironment thenFail(SshFailure.Kind kind, String message) {
        outcomes.add(new SshFailure(kind, message, null));
        return this;
    }

    @Override
    public long nanoTime() {
        return nanos != null ? nanos : System.nanoTime();
    }

    @Override
    public SshLink connect(ConnectRequest request, Consumer<Runnable> canceller) throws SshFailure {
        requests.add(request);
        canceller.accept(() -> cancelHooks++);
        duringConnect.run();
        Object next = outcomes.poll();
        if (next == null) {
            // the test did not expect this attempt; make it visible in requests and fail it
            throw new SshFailure(SshFailure.Kind.NETWORK, "unexpected connection attempt " + requests.size(), null);
        }
        if (next instanceof SshFailure) {
            throw (SshFailure) next;
        }
        return ((FakeLink) next).mock;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public Executor workers() {
        return Runnable::run;
    }

    @Override
    public void persistFingerprint(String pid, String fingerprint) {
        persisted.add(pid + " " + fingerprint);
    }

    @Override
    public String knownFingerprint(String host, int port) {
        return knownHosts.get(host + ":" + port);
    }

    @Override
    public String hostKeyTrusted(String host, int port, String fingerprint, boolean pinned) {
        String key = host + ":" + port;
        String known = knownHosts.get(key);
        if (known != null && !pinned) {
            return known;
        }
        knownHosts.put(key, fingerprint);
        return fingerprint;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        events.add(new Event(topic, properties));
    }

    @Override
    public void statusChanged(TunnelStatus status) {
        statuses.add(status);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public DoubleSupplier random() {
        return () -> random;
    }

    /** The states the tunnel went through, repeats folded. */
    List<TunnelState> states() {
        List<TunnelState> out = new ArrayList<>();
        for (TunnelStatus s : statuses) {
            if (out.isEmpty() || out.get(out.size() - 1) != s.state()) {
                out.add(s.state());
            }
        }
        return out;
    }

    List<String> topics() {
        return events.stream().map(e -> e.topic).collect(Collectors.toList());
    }
}
