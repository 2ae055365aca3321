package io.sshtunnel.monitoring.internal;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelStatus;

/**
 * One MBean per tunnel in the platform MBean server, {@code io.sshtunnel:type=Tunnel,name=NAME}:
 * registered for the tunnels there are at activation, brought up to date on every tunnel event
 * (Event Admin) and, as a safety net, every {@value #SYNC_SECONDS} s (a tunnel added disabled,
 * renamed or removed posts no state event); each attribute is read from the engine when asked.
 * Every (un)registration runs on this component's one thread, under no lock: events only ask it
 * for a pass, and several asks while one is pending make one pass.
 */
@Component(service = EventHandler.class, immediate = true, property = EventConstantsTopics.TUNNEL_TOPICS)
public final class TunnelMBeans implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelMBeans.class);

    private final TunnelRuntime runtime;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    static final int SYNC_SECONDS = 5;
    /** The MBeans registered, by tunnel name: the timer thread's only (and deactivate's, after it ended). */
    private final Map<String, ObjectName> registered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set by deactivate: a pass still running (a slow MBean server) registers nothing more. */
    private volatile boolean closed;
    private final java.util.concurrent.ScheduledExecutorService timer;
    /** A pass asked for and not begun yet. */
    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();

    @Activate
    public TunnelMBeans(@Reference TunnelRuntime runtime) {
        this.runtime = runtime;
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sshtunnel-mbeans");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sync, 0, SYNC_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closed = true;
        timer.shutdownNow();
        if (!timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
            LOG.warn("The MBean pass did not end within 10 s; its MBeans are removed anyway");
        }
        for (ObjectName n : registered.values()) { // the timer has ended: nothing registers any more
            unregister(n);
        }
        registered.clear();
    }

    @Override
    public void handleEvent(Event event) {
        if (pending.compareAndSet(false, true)) {
            try {
                timer.execute(this::sync);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false); // deactivated meanwhile
            }
        }
    }

    /** {@code name=NAME} as it is; quoted only where the name holds a character an object name reserves. */
    static ObjectName name(String tunnel) throws JMException {
        boolean plain = !tunnel.isEmpty() && tunnel.chars().noneMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0);
        return new ObjectName("io.sshtunnel:type=Tunnel,name=" + (plain ? tunnel : ObjectName.quote(tunnel)));
    }

    /** Registers an MBean for each tunnel that has none, and removes those of tunnels gone. On the timer thread only. */
    void sync() {
        pending.set(false);
        Set<String> names = new HashSet<>();
        try {
            for (TunnelStatus s : runtime.tunnels()) {
                names.add(s.name());
            }
        } catch (RuntimeException e) {
            LOG.debug("The engine could not list its tunnels now", e);
            return;
        }
        for (String n : names) {
            if (closed) {
                return;
            }
            if (!registered.containsKey(n)) {
                try {
                    ObjectName on = name(n);
                    if (server.isRegistered(on)) {
                        unregister(on); // left by an earlier instance of this component: ours reads the live engine
                    }
                    server.registerMBean(new Bean(runtime, n), on);
                    registered.put(n, on);
                } catch (JMException e) {
                    LOG.warn("Could not register the MBean of tunnel \"{}\": {}", n, e.toString());
                }
            }
        }
        registered.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            unregister(e.getValue());
            return true;
        });
    }

    private void unregister(ObjectName n) {
        try {
            server.unregisterMBean(n);
        } catch (JMException e) {
            LOG.debug("MBean {} already gone", n, e);
        }
    }

    /** The MBean of one tunnel, reading its status when an attribute is asked for. */
    static final class Bean implements TunnelMXBean {
        private final TunnelRuntime runtime;
        private final String name;

        Bean(TunnelRuntime runtime, String name) {
            this.runtime = runtime;
            this.name = name;
        }

        private TunnelStatus s() {
            return runtime.tunnel(name).orElse(null);
        }

        private long sum(ToLongFunction<MappingCounters> f) {
            TunnelStatus s = s();
            return s == null ? 0 : s.mappings().stream().mapToLong(m -> f.applyAsLong(m.counters())).sum();
        }

        @Override public String getName() { return name; }
        @Override public String getOwner() { TunnelStatus s = s(); return s == null || s.spec().owner() == null ? "" : s.spec().owner(); }
        @Override public String getServer() { TunnelStatus s = s(); return s == null ? "" : s.spec().server(); }
        @Override public String getState() { TunnelStatus s = s(); return s == null ? "GONE" : s.state().name(); }
        @Override public String getReason() { TunnelStatus s = s(); return s == null || s.reason() == null ? "" : s.reason(); }
        @Override public String getSince() { TunnelStatus s = s(); return s == null ? "" : s.since().toString(); }
        @Override public int getMappingsActive() {
            TunnelStatus s = s();
            return s == null ? 0 : (int) s.mappings().stream().filter(m -> m.state() == MappingState.ACTIVE).count();
        }
        @Override public int getMappingsTotal() { TunnelStatus s = s(); return s == null ? 0 : s.mappings().size(); }
        @Override public long getConnects() { TunnelStatus s = s(); return s == null ? 0 : s.counters().connects(); }
        @Override public long getDisconnects() { TunnelStatus s = s(); return s == null ? 0 : s.counters().disconnects(); }
        @Override public long getKeepaliveRoundTripMicros() {
            TunnelStatus s = s();
            return s == null || s.counters().lastKeepaliveRoundTrip() == null ? -1 : s.counters().lastKeepaliveRoundTrip().toNanos() / 1000;
        }
        @Override public long getBytesToTarget() { return sum(MappingCounters::bytesToTarget); }
        @Override public long getBytesFromTarget() { return sum(MappingCounters::bytesFromTarget); }
        @Override public long getConnections() { return sum(MappingCounters::connections); }
        @Override public long getOpenConnections() { return sum(MappingCounters::openConnections); }
        @Override public long getFailedConnections() { return sum(MappingCounters::failedConnections); }

    }
}
