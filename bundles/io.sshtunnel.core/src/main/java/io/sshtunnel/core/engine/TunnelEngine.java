package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.FINGERPRINT;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
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
import io.sshtunnel.api.TunnelConstants;
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
        /** Order of arrival: of two colliding tunnels, the earlier keeps its ports. */
        final long sequence;
        volatile ParsedConfig base;
        volatile List<Finding> validation = List.of();
        /** The last properties that described a tunnel, to put back if a file reader wipes them. */
        volatile Map<String, Object> lastGood;
        final TunnelSupervisor supervisor;

        Entry(BundleContext context, long sequence, ParsedConfig base, TunnelSupervisor supervisor) {
            this.context = context;
            this.sequence = sequence;
            this.base = base;
            this.supervisor = supervisor;
        }
    }

    private final java.util.concurrent.atomic.AtomicLong arrivals = new java.util.concurrent.atomic.AtomicLong();

    /** The properties that make a tunnel: all of them gone at once is a wiped file, not an edit. */
    private static final List<String> ESSENTIAL = List.of(TunnelConstants.SERVER_HOST, TunnelConstants.USERNAME,
            TunnelConstants.MAPPINGS, TunnelConstants.PASSWORD, TunnelConstants.PRIVATE_KEY_PATH);

    static boolean wiped(Map<String, ?> properties) {
        return ESSENTIAL.stream().allMatch(k -> {
            Object v = properties.get(k);
            return v == null || v.toString().isBlank();
        });
    }

    private static Map<String, Object> copy(Map<String, ?> properties) {
        Map<String, Object> m = new java.util.HashMap<>();
        properties.forEach((k, v) -> {
            // what SCR adds to a component's properties is not part of the configuration
            if (!k.startsWith("component.") && !k.startsWith("osgi.ds.") && !k.equals(org.osgi.framework.Constants.SERVICE_PID)
                    && !k.equals(ConfigurationAdmin.SERVICE_FACTORYPID)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Framework property: cipher names in the order to offer them, comma-separated (e.g. for compatibility or FIPS). */
    public static final String CIPHERS_PROPERTY = "io.sshtunnel.ciphers";

    /** FileInstall rewrites .cfg files after each update itself, unless told not to (the assembly does). */
    private final boolean fileInstallWritesBack;
    private final java.nio.charset.Charset cfgEncoding;

    @Activate
    public TunnelEngine(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        String save = context.getProperty("felix.fileinstall.enableConfigSave");
        this.fileInstallWritesBack = save == null || Boolean.parseBoolean(save);
        this.cfgEncoding = io.sshtunnel.core.config.CfgFile.encoding(context.getProperty("felix.fileinstall.configEncoding"));
        this.executors = new Executors(SshTransport.sshdClassLoader());
        String ciphers = context.getProperty(CIPHERS_PROPERTY);
        List<String> preference = ciphers == null || ciphers.isBlank() ? List.of() : List.of(ciphers.split(","));
        if (!preference.isEmpty() && preference.stream().noneMatch(c -> SshTransport.knownCiphers().contains(c.trim()))) {
            LOG.warn("{}={} names none of the ciphers {}; using the default order", CIPHERS_PROPERTY, ciphers,
                    SshTransport.knownCiphers());
        }
        this.transport = SshTransport.start(preference);
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
            long sequence = arrivals.incrementAndGet();
            List<Finding> extra = validate(parsed, pid, sequence);
            s = new TunnelSupervisor(parsed.withFindings(extra), this, new ServicePublisher(context));
            Entry entry = new Entry(context, sequence, parsed, s);
            entry.validation = extra;
            entry.lastGood = wiped(properties) ? null : copy(properties);
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
            Map<String, Object> good = e.lastGood;
            if (wiped(properties) && good != null) {
                // FileInstall rewrites a .cfg file in place after every update; a scan that reads it half
                // written sees an empty file and would wipe the tunnel (and, writing back, the file too).
                LOG.warn("Tunnel \"{}\": its configuration {} arrived without any of {}, as from a .cfg file read while"
                        + " it was being rewritten; keeping and restoring the last configuration (delete the"
                        + " configuration or its file to remove the tunnel)", e.base.spec().name(), pid, ESSENTIAL);
                workers().execute(() -> restore(pid, good));
                return;
            }
            e.lastGood = wiped(properties) ? null : copy(properties);
            e.base = parsed;
            e.validation = validate(parsed, pid, e.sequence);
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
     * Runs the validators on one tunnel against the tunnels configured before it that are not
     * themselves refused: of two that collide, the one configured first keeps the port, the other
     * is refused, and a refused one never blocks anybody. Findings the engine's own reading
     * already made are not repeated.
     */
    private List<Finding> validate(ParsedConfig parsed, String pid, long sequence) {
        if (validators.isEmpty() || parsed.hasErrors()) {
            return List.of();
        }
        List<TunnelSpec> others = new ArrayList<>();
        tunnels.forEach((id, e) -> {
            if (!id.equals(pid) && e.sequence < sequence && !e.base.hasErrors()
                    && e.validation.stream().noneMatch(Finding::isError)) {
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
            List<Map.Entry<String, Entry>> ordered = new ArrayList<>(tunnels.entrySet());
            ordered.sort(Comparator.comparingLong(me -> me.getValue().sequence));
            for (Map.Entry<String, Entry> me : ordered) {
                if (me.getKey().equals(changedPid) && pass == 0) {
                    continue;
                }
                Entry e = me.getValue();
                List<Finding> now = validate(e.base, me.getKey(), e.sequence);
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

    /** Puts the last good properties back into Config Admin (and so, through FileInstall, into the file). */
    private void restore(String pid, Map<String, Object> properties) {
        changeConfiguration(pid, "restore configuration", current -> new java.util.Hashtable<>(properties));
    }

    @Override
    public void persistFingerprint(String pid, String fingerprint) {
        Dictionary<String, Object> seen = changeConfiguration(pid, "write the trusted fingerprint back into configuration", props -> {
            Object current = props.get(FINGERPRINT);
            if (current != null && !current.toString().isBlank()) {
                return null; // someone pinned a key meanwhile; theirs wins
            }
            props.put(FINGERPRINT, fingerprint);
            return props;
        });
        java.nio.file.Path file = seen == null ? null : io.sshtunnel.core.config.CfgFile.source(seen.get(io.sshtunnel.core.config.CfgFile.FILEINSTALL_FILENAME));
        if (file != null && !fileInstallWritesBack) {
            // FileInstall would rewrite the file in place; with its write-back off, we put the key in, atomically
            try {
                io.sshtunnel.core.config.CfgFile.pinFingerprint(file, fingerprint, cfgEncoding);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not write the trusted fingerprint into {} (it is kept in the configuration)", file, e);
            }
        }
    }

    /**
     * Applies {@code change} to the configuration's current properties; {@code null} from it leaves the
     * configuration alone. Returns the properties it found, or null when there is no such configuration.
     */
    private Dictionary<String, Object> changeConfiguration(String pid, String what,
            java.util.function.UnaryOperator<Dictionary<String, Object>> change) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            Dictionary<String, Object> current = found[0].getProperties();
            Dictionary<String, Object> next = change.apply(found[0].getProperties());
            if (next != null) {
                found[0].updateIfDifferent(next);
            }
            return current;
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.warn("Could not {} {}", what, pid, e);
            return null;
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

}
