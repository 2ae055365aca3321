package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.FINGERPRINT;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelValidator;
import io.sshtunnel.core.config.ConfigReader;
import io.sshtunnel.core.config.ParsedConfig;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;
import io.sshtunnel.core.ssh.SshTransport;

/**
 * The tunnel engine: owns the shared SSH client and threads, runs one {@link TunnelSupervisor}
 * per tunnel configuration, applies the registered validators, writes trusted fingerprints back
 * into Config Admin, and answers {@link TunnelRuntime} queries.
 */
@Component(service = { TunnelRuntime.class, TunnelEngine.class }, immediate = true)
public final class TunnelEngine implements TunnelRuntime, Environment {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelEngine.class);
    static final long STOP_WAIT_MILLIS = 10_000;

    private final ConfigurationAdmin configAdmin;
    private final Executors executors;
    private final SshTransport transport;
    private final Map<String, Entry> tunnels = new ConcurrentHashMap<>();
    private final List<TunnelEventSink> sinks = new CopyOnWriteArrayList<>();
    private final List<TunnelValidator> validators = new CopyOnWriteArrayList<>();

    /** A tunnel's configuration as read, and its supervisor. */
    private static final class Entry {
        final BundleContext context;
        volatile ParsedConfig base;
        volatile List<Finding> validation = List.of();
        final TunnelSupervisor supervisor;

        Entry(BundleContext context, ParsedConfig base, TunnelSupervisor supervisor) {
            this.context = context;
            this.base = base;
            this.supervisor = supervisor;
        }
    }

    @Activate
    public TunnelEngine(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        this.executors = new Executors(SshTransport.sshdClassLoader());
        this.transport = SshTransport.start();
        LOG.info("SSH tunnel engine started");
    }

    @Deactivate
    void deactivate() {
        for (Entry e : tunnels.values()) {
            e.supervisor.close(STOP_WAIT_MILLIS);
        }
        tunnels.clear();
        transport.close();
        executors.shutdown(STOP_WAIT_MILLIS);
        LOG.info("SSH tunnel engine stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSink(TunnelEventSink sink) {
        sinks.add(sink);
    }

    void removeSink(TunnelEventSink sink) {
        sinks.remove(sink);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedValidator")
    void addValidator(TunnelValidator validator) {
        validators.add(validator);
        revalidate(null);
    }

    void removeValidator(TunnelValidator validator) {
        validators.remove(validator);
        revalidate(null);
    }

    /** A validator's service properties changed (e.g. a module policy came or went): its answers may have too. */
    void updatedValidator(TunnelValidator validator) {
        revalidate(null);
    }

    // ---- the tunnels' life, driven by TunnelComponent ---------------------------------------

    void open(BundleContext context, String pid, Map<String, ?> properties) {
        ParsedConfig parsed = ConfigReader.read(pid, properties);
        Entry previous;
        TunnelSupervisor s;
        synchronized (this) {
            List<Finding> extra = validate(parsed, pid);
            s = new TunnelSupervisor(parsed.withFindings(extra), this, new ServicePublisher(context));
            Entry entry = new Entry(context, parsed, s);
            entry.validation = extra;
            previous = tunnels.put(pid, entry);
        }
        if (previous != null) {
            previous.supervisor.close(STOP_WAIT_MILLIS);
        }
        s.start();
        revalidate(pid);
    }

    void update(String pid, Map<String, ?> properties) {
        ParsedConfig parsed = ConfigReader.read(pid, properties);
        synchronized (this) {
            Entry e = tunnels.get(pid);
            if (e == null) {
                return;
            }
            e.base = parsed;
            e.validation = validate(parsed, pid);
            e.supervisor.update(parsed.withFindings(e.validation));
            revalidate(pid);
        }
    }

    void close(String pid) {
        Entry e = tunnels.remove(pid);
        if (e != null) {
            e.supervisor.close(STOP_WAIT_MILLIS);
            revalidate(pid);
        }
    }

    /**
     * Runs the validators on one tunnel against the others that are not themselves refused: the
     * tunnel that holds a port keeps it, the one that comes second is refused, and a refused one
     * never blocks anybody. Findings the engine's own reading already made are not repeated.
     */
    private List<Finding> validate(ParsedConfig parsed, String pid) {
        if (validators.isEmpty() || parsed.hasErrors()) {
            return List.of();
        }
        List<TunnelSpec> others = new ArrayList<>();
        tunnels.forEach((id, e) -> {
            if (!id.equals(pid) && !e.base.hasErrors() && e.validation.stream().noneMatch(Finding::isError)) {
                others.add(e.base.spec());
            }
        });
        List<Finding> all = new ArrayList<>();
        for (TunnelValidator v : validators) {
            try {
                for (Finding f : v.validate(parsed.spec(), others)) {
                    boolean known = parsed.findings().stream().anyMatch(p -> p.code().equals(f.code())
                            && p.property().equals(f.property()) && p.mappingIndex() == f.mappingIndex());
                    if (!known && !all.contains(f)) {
                        all.add(f);
                    }
                }
            } catch (RuntimeException ex) {
                LOG.error("Validator {} failed on tunnel \"{}\"", v, parsed.spec().name(), ex);
            }
        }
        return all;
    }

    /**
     * Re-checks the other tunnels after one changed: a collision may have appeared or gone. A
     * tunnel that becomes valid can refuse another in turn, so this repeats until nothing changes
     * (bounded by the number of tunnels).
     */
    private synchronized void revalidate(String changedPid) {
        for (int pass = 0; pass <= tunnels.size(); pass++) {
            boolean changed = false;
            for (Map.Entry<String, Entry> me : tunnels.entrySet()) {
                if (me.getKey().equals(changedPid) && pass == 0) {
                    continue;
                }
                Entry e = me.getValue();
                List<Finding> now = validate(e.base, me.getKey());
                if (!now.equals(e.validation)) {
                    e.validation = now;
                    e.supervisor.update(e.base.withFindings(now));
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
        }
    }

    // ---- TunnelRuntime ----------------------------------------------------------------------

    @Override
    public List<TunnelStatus> tunnels() {
        List<TunnelStatus> list = new ArrayList<>();
        for (Entry e : tunnels.values()) {
            list.add(e.supervisor.status());
        }
        list.sort(Comparator.comparing(TunnelStatus::name).thenComparing(TunnelStatus::id));
        return list;
    }

    @Override
    public Optional<TunnelStatus> tunnel(String name) {
        return tunnels().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    // ---- Environment ------------------------------------------------------------------------

    @Override
    public SshLink connect(ConnectRequest request, Consumer<Runnable> canceller) throws SshFailure {
        return transport.connect(request, canceller);
    }

    @Override
    public ScheduledExecutorService timer() {
        return executors.timer;
    }

    @Override
    public Executor workers() {
        return executors.workers;
    }

    @Override
    public void persistFingerprint(String pid, String fingerprint) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            if (found == null || found.length == 0) {
                return;
            }
            Configuration c = found[0];
            Dictionary<String, Object> props = c.getProperties();
            if (props == null) {
                return;
            }
            Object current = props.get(FINGERPRINT);
            if (current != null && !current.toString().isBlank()) {
                return; // someone pinned a key meanwhile; theirs wins
            }
            props.put(FINGERPRINT, fingerprint);
            c.updateIfDifferent(props);
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.warn("Could not write the trusted fingerprint back into configuration {}", pid, e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        for (TunnelEventSink s : sinks) {
            try {
                s.post(topic, properties);
            } catch (RuntimeException e) {
                LOG.debug("event sink failed", e);
            }
        }
    }

    @Override
    public void statusChanged(TunnelStatus status) {
        // the registry reads the supervisors' snapshots directly; nothing to cache here
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public DoubleSupplier random() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    Collection<String> pids() {
        return tunnels.keySet();
    }
}
