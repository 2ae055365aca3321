package io.sshtunnel.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
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
import io.sshtunnel.api.TunnelModule;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelValidator;
import io.sshtunnel.common.Reason;
import io.sshtunnel.core.config.CfgFile;
import io.sshtunnel.core.config.ConfigReader;
import io.sshtunnel.core.config.ParsedConfig;

/**
 * The tunnel engine component: reads each tunnel configuration ({@link ConfigReader}), keeps it in
 * the {@link TunnelRegistry} with its {@link TunnelSupervisor}, has it checked by the
 * {@link Revalidation}, and answers {@link TunnelRuntime} queries. Threads, the SSH client and
 * writes to configurations belong to {@link EngineEnvironment} and {@link ConfigWriter}.
 */
@Component(service = { TunnelRuntime.class, TunnelEngine.class }, immediate = true)
public final class TunnelEngine implements TunnelRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelEngine.class);
    static final long STOP_WAIT_MILLIS = 10_000;
    /** How long a new tunnel waits quietly for the validation bundle after start-up or after it left. */
    static final java.time.Duration VALIDATOR_GRACE = java.time.Duration.ofSeconds(10);

    private final EventFanout events = new EventFanout();
    private final TunnelRegistry registry = new TunnelRegistry();
    private final ConsoleLabels labels = new ConsoleLabels();
    private final ActiveModules modules = new ActiveModules();
    private final Environment env;
    private final ConfigWriter writer;
    private final Revalidation revalidation;
    private final Function<BundleContext, ServicePublisher> publishers;
    private final Runnable shutdown;
    /** The container's default of {@code fingerprint.required}. */
    private final boolean fingerprintRequired;
    /** Where the tunnels' secrets are written down, to warn when others may read them. */
    private final io.sshtunnel.core.config.SecretFiles secretFiles;

    @Activate
    public TunnelEngine(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        String save = context.getProperty("felix.fileinstall.enableConfigSave");
        this.writer = new ConfigWriter(configAdmin, save == null || Boolean.parseBoolean(save),
                CfgFile.encoding(context.getProperty("felix.fileinstall.configEncoding")));
        EngineEnvironment e = new EngineEnvironment(context, writer, events);
        this.env = e;
        // each tunnel's service registrations in order on the workers, never on the tunnel's own turn
        this.publishers = ctx -> new ServicePublisher(ctx, new SerialExecutor(e.workers()));
        this.revalidation = new Revalidation(registry, new SerialExecutor(e.workers()), e, VALIDATOR_GRACE, modules::reason);
        this.shutdown = () -> e.close(STOP_WAIT_MILLIS);
        this.fingerprintRequired = Boolean.parseBoolean(context.getProperty(TunnelConstants.FINGERPRINT_REQUIRED_DEFAULT_PROPERTY));
        this.secretFiles = new io.sshtunnel.core.config.SecretFiles(context.getProperty(io.sshtunnel.core.config.SecretFiles.SECRETS_DIR_PROPERTY));
        LOG.info("SSH tunnel engine started");
    }

    /** For tests: the given environment (its workers run the validation passes), writer, service publishers and grace. */
    TunnelEngine(Environment env, ConfigWriter writer, Function<BundleContext, ServicePublisher> publishers,
            java.time.Duration validatorGrace) {
        this.env = env;
        this.writer = writer;
        this.publishers = publishers;
        this.revalidation = new Revalidation(registry, new SerialExecutor(env.workers()), env, validatorGrace, modules::reason);
        this.shutdown = () -> { };
        this.fingerprintRequired = false;
        this.secretFiles = new io.sshtunnel.core.config.SecretFiles(null);
    }

    @Deactivate
    void deactivate() {
        labels.removeAll();
        for (TunnelSupervisor s : registry.clear()) {
            s.close(STOP_WAIT_MILLIS);
        }
        shutdown.run();
        LOG.info("SSH tunnel engine stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSink(TunnelEventSink sink) {
        events.add(sink);
    }

    void removeSink(TunnelEventSink sink) {
        events.remove(sink);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedValidator")
    void addValidator(TunnelValidator validator) {
        revalidation.addValidator(validator);
    }

    void removeValidator(TunnelValidator validator) {
        revalidation.removeValidator(validator);
    }

    /** A validator's service properties changed (e.g. a module policy came or went): its answers may have too. */
    void updatedValidator(TunnelValidator validator) {
        revalidation.request();
    }

    /** A module became active: its tunnels may run. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModule(TunnelModule module, Map<String, Object> properties) {
        Object name = properties.get(TunnelConstants.MODULE_NAME);
        if (name instanceof String) {
            modules.add((String) name);
            revalidation.request();
        }
    }

    void removeModule(TunnelModule module, Map<String, Object> properties) {
        Object name = properties.get(TunnelConstants.MODULE_NAME);
        if (name instanceof String) {
            modules.remove((String) name);
            revalidation.request();
        }
    }

    // ---- the tunnels' life, driven by TunnelComponent on Config Admin's thread ---------------

    void open(BundleContext context, String pid, Map<String, ?> properties) {
        Map<String, ?> stored = writer.stored(pid);
        ParsedConfig parsed = read(pid, properties, stored);
        TunnelSupervisor s = new TunnelSupervisor(parsed, env, publishers.apply(context));
        s.hops(hops);
        TunnelSupervisor previous = registry.add(pid, s, parsed, restorable(stored, properties));
        if (previous != null) {
            previous.close(STOP_WAIT_MILLIS);
        }
        labels.show(context, pid, properties);
        revalidation.request(); // starts the supervisor once checked
    }

    void update(String pid, Map<String, ?> properties) {
        Map<String, ?> stored = writer.stored(pid);
        ParsedConfig parsed = read(pid, properties, stored);
        switch (registry.update(pid, parsed, properties, restorable(stored, properties))) {
        case WIPED:
            // FileInstall rewrites a .cfg file in place after every update; a scan that reads it half
            // written sees an empty file and would wipe the tunnel (and, writing back, the file too).
            Map<String, Object> good = registry.lastGood(pid);
            LOG.warn("Tunnel \"{}\": its configuration {} arrived without any of {}, as from a .cfg file read while"
                    + " it was being rewritten; keeping and restoring the last configuration (delete the"
                    + " configuration or its file to remove the tunnel)", registry.name(pid), pid, WipeGuard.ESSENTIAL);
            env.workers().execute(() -> writer.restore(pid, good));
            return;
        case APPLIED:
            labels.update(pid, properties);
            revalidation.request();
            return;
        default:
            return;
        }
    }

    /**
     * What to restore this configuration to if it is wiped later: as stored, placeholders and all
     * (never the secrets they stand for), else, when the store cannot be read or already holds a
     * newer, wiped version, the properties as they arrived.
     */
    private static Map<String, ?> restorable(Map<String, ?> stored, Map<String, ?> arrived) {
        return stored == null || WipeGuard.wiped(stored) ? arrived : stored;
    }

    /** The configuration as read, with a warning for each file that holds its secrets where others may read them. */
    private ParsedConfig read(String pid, Map<String, ?> arrived, Map<String, ?> stored) {
        return ConfigReader.read(pid, arrived, fingerprintRequired).withFindings(secretFiles.check(arrived, stored));
    }

    void close(String pid) {
        labels.remove(pid);
        TunnelSupervisor s = registry.remove(pid);
        if (s != null) {
            s.close(STOP_WAIT_MILLIS);
            revalidation.request(); // a port it held may free another tunnel
        }
    }

    /** The container's default of {@code fingerprint.required}, for the connection test. */
    boolean fingerprintRequiredByDefault() {
        return fingerprintRequired;
    }

    /** The SSH client, workers and host keys the tunnels use, for the connection test. */
    Environment environment() {
        return env;
    }

    /** The tunnel of a name as a jump host ({@code via}): the one not refused for the name, as {@link #tunnel(String)} says. */
    private final Hops hops = new Hops() {
        @Override
        public Hop find(String name) {
            TunnelSupervisor s = named(name);
            if (s == null) {
                return null;
            }
            TunnelStatus st = s.status();
            return new Hop(st.state(), Reason.translated(st.reason(), st::reason), s.liveLink());
        }

        @Override
        public void changed(String name, io.sshtunnel.api.TunnelState state) {
            for (TunnelSupervisor s : registry.supervisors()) {
                if (name.equals(s.status().spec().via())) {
                    s.hopChanged(state);
                }
            }
        }
    };

    /** The supervisor of the tunnel of that name (of two with one name, the one not refused for it), or null. */
    TunnelSupervisor named(String name) {
        TunnelSupervisor first = null;
        for (TunnelSupervisor s : registry.supervisors()) {
            TunnelStatus st = s.status();
            if (st.name().equals(name)) {
                if (st.findings().stream().noneMatch(f -> io.sshtunnel.api.FindingCodes.NAME_TAKEN.equals(f.code()))) {
                    return s;
                }
                first = first == null ? s : first;
            }
        }
        return first;
    }

    /** The open connection of the tunnel of that name while it is up, for a connection test through it; else null. */
    io.sshtunnel.core.ssh.SshLink hopLink(String name) {
        TunnelSupervisor s = named(name);
        return s == null ? null : s.liveLink();
    }

    // ---- TunnelRuntime ----------------------------------------------------------------------

    @Override
    public List<TunnelStatus> tunnels() {
        List<TunnelStatus> list = new ArrayList<>();
        for (TunnelSupervisor s : registry.supervisors()) {
            list.add(translatable(s));
        }
        list.sort(Comparator.comparing(TunnelStatus::name).thenComparing(TunnelStatus::id));
        translated.keySet().removeIf(id -> list.stream().noneMatch(t -> t.id().equals(id)));
        return list;
    }

    @Override
    public List<Finding> check(String pid, Map<String, ?> properties, Locale locale) {
        return revalidation.checkAlone(ConfigReader.read(pid, properties, fingerprintRequired, locale), othersThan(pid), locale);
    }

    /** The tunnels a validation pass checks against: all but this one that hold their ports and names (no refused one). */
    private List<io.sshtunnel.api.TunnelSpec> othersThan(String pid) {
        List<io.sshtunnel.api.TunnelSpec> others = new ArrayList<>();
        for (TunnelSupervisor sup : registry.supervisors()) {
            TunnelStatus s = sup.status();
            if (!s.id().equals(pid) && s.findings().stream().noneMatch(Finding::isError)) {
                others.add(s.spec());
            }
        }
        return others;
    }

    /** The last findings translated, per tunnel: a status keeps its findings until its configuration or a pass changes them. */
    private final Map<String, Translated> translated = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Translated {
        final List<Finding> source;
        final Locale locale;
        final List<Finding> findings;

        Translated(List<Finding> source, Locale locale, List<Finding> findings) {
            this.source = source;
            this.locale = locale;
            this.findings = findings;
        }
    }

    /**
     * The status with its findings (and an invalid tunnel's reason, which lists them) in other
     * languages too: the validators are asked again in that language, on demand, and each finding
     * keeps its place (a finding only one language run found stays in English).
     */
    private TunnelStatus translatable(TunnelSupervisor sup) {
        TunnelStatus s = sup.status();
        if (s.findings().isEmpty()) {
            return s;
        }
        Function<Locale, List<Finding>> findings = locale -> findingsIn(sup, s, locale);
        return s.withTranslations(locale -> s.state() != io.sshtunnel.api.TunnelState.INVALID ? s.reason(locale)
                : Finding.join(findings.apply(locale).stream().filter(Finding::isError).collect(java.util.stream.Collectors.toList()),
                        TunnelSupervisor.MAX_REASONS), findings);
    }

    private List<Finding> findingsIn(TunnelSupervisor sup, TunnelStatus s, Locale locale) {
        if (locale == null || Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
            return s.findings();
        }
        Translated t = translated.get(s.id());
        if (t != null && t.source == s.findings() && t.locale.equals(locale)) {
            return t.findings;
        }
        List<Finding> there;
        try {
            ParsedConfig config = sup.parsedConfig();
            there = new ArrayList<>(config.readerFindings(locale));
            there.addAll(revalidation.checkAlone(config.withoutFindings(), othersThan(s.id()), locale));
        } catch (RuntimeException e) {
            LOG.debug("Could not translate the findings of tunnel \"{}\"", s.name(), e);
            return s.findings();
        }
        List<Finding> out = new ArrayList<>(s.findings().size());
        for (Finding f : s.findings()) {
            Finding match = there.stream().filter(g -> g.code().equals(f.code()) && g.severity() == f.severity()
                    && java.util.Objects.equals(g.property(), f.property()) && g.mappingIndex() == f.mappingIndex())
                    .findFirst().orElse(null);
            there.remove(match);
            out.add(match != null ? match : f);
        }
        translated.put(s.id(), new Translated(s.findings(), locale, out));
        return out;
    }

    @Override
    public Optional<TunnelStatus> tunnel(String name) {
        // names are unique: of two configurations with one name, the second is refused (NAME_TAKEN)
        return Optional.ofNullable(named(name)).map(this::translatable);
    }
}
