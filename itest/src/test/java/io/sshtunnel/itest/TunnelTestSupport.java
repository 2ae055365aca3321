package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** What every tunnel test needs: configurations, services, events, and waiting on them. */
public abstract class TunnelTestSupport {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;
    @Inject
    protected ConfigurationAdmin configAdmin;
    /** The runtime when the test started: after a restart of the core bundle, {@link #currentRuntime()} is the live one. */
    @Inject
    protected TunnelRuntime runtime;

    protected final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private ServiceRegistration<EventHandler> handler;
    private ServiceTracker<TunnelRuntime, TunnelRuntime> runtimes;
    private ServiceReference<LogReaderService> logReaderRef;
    private LogReaderService logReader;
    private final LogListener printWarnings = TunnelTestSupport::printWarning;
    protected final List<Configuration> created = new ArrayList<>();

    /** Warnings and errors of the OSGi log (SCR reports failed activations there) go to the test output. */
    @Before
    public void printLogWarnings() {
        logReaderRef = context.getServiceReference(LogReaderService.class);
        logReader = logReaderRef == null ? null : context.getService(logReaderRef);
        if (logReader != null) {
            logReader.addLogListener(printWarnings);
        }
    }

    private static void printWarning(LogEntry entry) {
        if (entry.getLogLevel().ordinal() <= LogLevel.WARN.ordinal()) {
            System.out.println("OSGI-LOG " + entry.getLogLevel() + " " + entry.getBundle().getSymbolicName() + ": "
                    + entry.getMessage() + (entry.getException() == null ? "" : " " + entry.getException()));
            if (entry.getException() != null) {
                entry.getException().printStackTrace(System.out);
            }
        }
    }

    @Before
    public void listen() {
        runtimes = new ServiceTracker<>(context, TunnelRuntime.class, null);
        runtimes.open();
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(EventConstants.EVENT_TOPIC, new String[] { TOPIC_TUNNEL_ALL, TOPIC_MAPPING_ALL });
        handler = context.registerService(EventHandler.class, e -> {
            events.add(e);
            Await.signal();
        }, p);
    }

    @After
    public void cleanUp() throws Exception {
        try {
            List<String> pids = new ArrayList<>();
            for (Configuration c : created) {
                try {
                    pids.add(c.getPid());
                    c.delete();
                } catch (IllegalStateException e) {
                    // already deleted by the test
                }
            }
            if (core().getState() != Bundle.ACTIVE) {
                core().start(); // a test that failed while the core bundle was stopped: as the next test expects it
            }
            for (String pid : pids) {
                // asked of the runtime registered now: the injected one may be a stopped engine's, where all is gone
                Await.until("tunnel " + pid + " gone", TIMEOUT, () -> Optional.ofNullable(currentRuntime())
                        .filter(r -> r.tunnels().stream().noneMatch(s -> s.id().equals(pid))).isPresent());
            }
        } finally {
            created.clear();
            handler.unregister();
            runtimes.close();
            if (logReader != null) {
                logReader.removeLogListener(printWarnings);
                context.ungetService(logReaderRef);
            }
        }
    }

    /** The {@link TunnelRuntime} registered now, or {@code null} while the core bundle is stopped. */
    protected TunnelRuntime currentRuntime() {
        return runtimes.getService();
    }

    protected Bundle core() {
        return Arrays.stream(context.getBundles()).filter(b -> "io.sshtunnel.core".equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
    }

    /** Properties of a tunnel to the given server with password authentication. */
    protected static Hashtable<String, Object> tunnel(String name, int serverPort, String user, String password, String... mappings) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(NAME, name);
        p.put(SERVER_HOST, "127.0.0.1");
        p.put(SERVER_PORT, serverPort);
        p.put(USERNAME, user);
        if (password != null) {
            p.put(PASSWORD, password);
        }
        p.put(MAPPINGS, mappings);
        p.put(KEEPALIVE_SECONDS, 1);
        p.put(RECONNECT_MAX_SECONDS, 2);
        p.put(CONNECT_TIMEOUT_SECONDS, 10);
        return p;
    }

    /** Creates the named factory configuration, as an administrator or a .cfg file would. */
    protected Configuration create(String name, Dictionary<String, Object> props) throws IOException {
        Configuration c = configAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        c.update(props);
        created.add(c);
        return c;
    }

    /** Deletes this configuration after the test, like those made with {@link #create}. */
    protected void track(Configuration c) {
        created.add(c);
    }

    protected Optional<TunnelStatus> status(String name) {
        TunnelRuntime r = currentRuntime();
        return r == null ? Optional.empty() : r.tunnel(name);
    }

    protected TunnelStatus awaitState(String name, TunnelState state) {
        return awaitState(name, state, TIMEOUT);
    }

    protected TunnelStatus awaitState(String name, TunnelState state, Duration timeout) {
        return Await.until(() -> "tunnel \"" + name + "\" " + state + " (now " + status(name).map(s -> s + " " + s.findings()).orElse("absent") + ")",
                timeout, () -> status(name).filter(s -> s.state() == state).orElse(null));
    }

    protected List<ServiceReference<TunnelEndpoint>> endpoints(String name) {
        try {
            return new ArrayList<>(context.getServiceReferences(TunnelEndpoint.class, "(" + TUNNEL_NAME + "=" + name + ")"));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    protected ServiceReference<Tunnel> tunnelService(String name) {
        try {
            return context.getServiceReferences(Tunnel.class, "(" + TUNNEL_NAME + "=" + name + ")").stream().findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    protected List<Event> events(String topic, String name) {
        List<Event> l = new ArrayList<>();
        for (Event e : events) {
            if (e.getTopic().equals(topic) && name.equals(e.getProperty(TUNNEL_NAME))) {
                l.add(e);
            }
        }
        return l;
    }

    /**
     * The events, tunnel and mapping, of configuration {@code pid} stamped after {@code millis}: the
     * engine stamps them with the system clock, so a late delivery does not move an event in time.
     */
    protected List<Event> eventsAfter(String pid, long millis) {
        List<Event> l = new ArrayList<>();
        for (Event e : events) {
            if (pid.equals(e.getProperty(TUNNEL_ID)) && (Long) e.getProperty(EVENT_TIMESTAMP) > millis) {
                l.add(e);
            }
        }
        return l;
    }

    protected Map<String, Object> configProperties(Configuration c) throws IOException {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + c.getPid() + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        Map<String, Object> m = new java.util.HashMap<>();
        Dictionary<String, Object> d = found[0].getProperties();
        for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            m.put(key, d.get(key));
        }
        return m;
    }

    /** The heap in use after full collections, in bytes. */
    protected static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
