package io.sshtunnel.ownership.internal;

import static io.sshtunnel.api.TunnelConstants.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.common.Filters;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelAdministration;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.common.Reason;

/**
 * Who may change which tunnel, and the changes themselves: every module's {@link
 * io.sshtunnel.api.TunnelAdmin} calls in here, one change at a time, so that two modules cannot
 * both take one name. Also the audit: a module's tunnel changed by anyone but its module (raw
 * Config Admin, a file) is logged as a warning naming the tunnel and the owner; the engine writing
 * a trusted fingerprint back is not a change of the module's.
 */
@Component(service = { Ownership.class, ConfigurationListener.class }, immediate = true)
public final class Ownership implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);
    /** What {@link #ours} holds for a configuration this class deleted. */
    private static final long DELETED = -1;
    /** Every tunnel configuration. */
    private static final String TUNNELS = Filters.equal(ConfigurationAdmin.SERVICE_FACTORYPID, FACTORY_PID);

    private final ConfigurationAdmin cm;
    /** Where audit warnings go: the log. */
    private final java.util.function.Consumer<String> audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TunnelRuntime runtime;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.sshtunnel.api.TemplateCatalog templates;

    /** The change count each configuration had after this class wrote it (written under the configuration's lock). */
    private final Map<String, Long> ours = new ConcurrentHashMap<>();
    /** The owned configurations as last seen, to tell what changed. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** An owned configuration as seen: owner, name, and a hash of each property but the fingerprint. */
    private static final class Seen {
        final String owner;
        final String name;
        final Map<String, Integer> hashes;

        Seen(String owner, String name, Map<String, Integer> hashes) {
            this.owner = owner;
            this.name = name;
            this.hashes = hashes;
        }
    }

    @Activate
    public Ownership(@Reference ConfigurationAdmin cm, org.osgi.framework.BundleContext context) {
        this(cm, LOG::warn, module -> java.util.Arrays.stream(context.getBundles()).anyMatch(b -> module.equals(b.getSymbolicName())));
    }

    /** For tests: audit warnings to the given sink; every module counts as installed. */
    Ownership(ConfigurationAdmin cm, java.util.function.Consumer<String> audit) {
        this(cm, audit, module -> true);
    }

    /** For tests and the administration's tests: audit warnings to the sink, modules installed as the predicate says. */
    public Ownership(ConfigurationAdmin cm, java.util.function.Consumer<String> audit, java.util.function.Predicate<String> installed) {
        this.cm = cm;
        this.audit = audit;
        this.installed = installed;
        try {
            Configuration[] all = cm.listConfigurations(TUNNELS);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                remember(c.getPid(), c.getProperties());
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Could not read the tunnel configurations for the audit of module tunnels", e);
        }
    }

    /** For tests: with this runtime. */
    public Ownership withRuntime(TunnelRuntime r) {
        this.runtime = r;
        return this;
    }

    // ---- reading ----------------------------------------------------------------------------

    List<TunnelStatus> tunnels() {
        TunnelRuntime r = runtime;
        return r == null ? List.of() : r.tunnels();
    }

    Optional<TunnelStatus> tunnel(String name) {
        TunnelRuntime r = runtime;
        return r == null ? Optional.empty() : r.tunnel(name);
    }

    // ---- changing ----------------------------------------------------------------------------
    //
    // No lock is held across the engine's check (which binds sockets) or across another tunnel's
    // storage I/O: a change reserves its tunnel's name (and its PID) in a concurrent set, checks and
    // writes without a lock, and frees the reservation. Only the write of one configuration and the
    // note that it was ours hold that configuration's own lock, which its audit event takes too.

    /** Names and PIDs of changes in flight. */
    private final Set<String> reserved = ConcurrentHashMap.newKeySet();
    /**
     * Locks for the write of one configuration and the audit of its event, striped by PID: a fixed
     * set, so that none is ever removed while another thread holds it.
     */
    private final Object[] pidLocks = new Object[64];

    {
        for (int i = 0; i < pidLocks.length; i++) {
            pidLocks[i] = new Object();
        }
    }

    private Object pidLock(String pid) {
        return pidLocks[(pid.hashCode() & 0x7fffffff) % pidLocks.length];
    }

    /** Holds a name or PID for one change; a second change of it meanwhile is refused, not queued. */
    private final class Reservation implements AutoCloseable {
        private final List<String> keys = new ArrayList<>();

        Reservation hold(String key, Reason what) {
            if (!reserved.add(key)) {
                throw refused(key.startsWith("name:") ? FindingCodes.NAME_TAKEN : FindingCodes.STALE_VERSION, NAME,
                        Reason.of("own.busy", what));
            }
            keys.add(key);
            return this;
        }

        @Override
        public void close() {
            reserved.removeAll(keys);
        }
    }

    /** Whether a module of that symbolic name is installed (an administrator may delete the tunnels of one that is gone). */
    private final java.util.function.Predicate<String> installed;

    String create(String module, TunnelRequest request) {
        return create(properties(request, module, null), "Module \"" + module + "\"", Locale.ENGLISH).id();
    }

    /** Creates a tunnel of these properties (the owner in them, if any), checked first; {@code who} is for the log. */
    TunnelAdministration.Saved create(Hashtable<String, Object> props, String who, Locale locale) {
        String name = nameOf(props);
        TunnelRuntime r = engine();
        try (Reservation held = new Reservation().hold("name:" + name, Reason.of("own.what.named", Finding.quote(name)))) {
            Configuration taken = byName(name);
            if (taken != null) {
                throw refused(FindingCodes.NAME_TAKEN, NAME, Reason.of("own.nameTaken.create", Finding.quote(name), taken.getPid(),
                        ownerText(taken)));
            }
            String local = configurationName(name);
            // a configuration of that PID may exist under another name (renamed since): never take it over
            boolean named = local != null && find(Filters.equal(Constants.SERVICE_PID, FACTORY_PID + "~" + local)) == null;
            List<Finding> findings = check(r, named ? FACTORY_PID + "~" + local : FACTORY_PID + "~new", props, locale);
            try {
                Configuration c = named ? cm.getFactoryConfiguration(FACTORY_PID, local, "?")
                        : cm.createFactoryConfiguration(FACTORY_PID, "?");
                write(c, null, props, who, "created");
                return saved(c.getPid(), findings, true);
            } catch (IOException e) {
                throw storageFailed(name, e);
            }
        }
    }

    /** For tests: with this template catalog. */
    public Ownership withTemplates(io.sshtunnel.api.TemplateCatalog c) {
        this.templates = c;
        return this;
    }

    /** A module's tunnel from a template: created, or its own tunnel of that name brought up to date. */
    String applyTemplate(String module, TunnelRequest request, String templateId, Map<String, String> values) {
        io.sshtunnel.api.TemplateCatalog catalog = templates;
        if (catalog == null) {
            throw refused(FindingCodes.TEMPLATES_UNAVAILABLE, MAPPINGS, Reason.of("own.templatesMissing",
                    Finding.quote(String.valueOf(templateId))));
        }
        TunnelRuntime r = engine();
        Configuration existing = byName(request.name());
        if (existing != null && !module.equals(ownerOf(existing.getProperties()))) {
            owned(module, request.name()); // refused, naming the owner
        }
        // the mappings the stored tunnel has from this template keep their ports, as long as the
        // template with these values still makes them; ones it no longer makes (a value changed) go
        List<PortMapping> fromTemplate = new ArrayList<>();
        if (existing != null) {
            for (String entry : entries(existing.getProperties().get(MAPPINGS))) {
                try {
                    PortMapping m = PortMapping.parse(entry);
                    if (templateId.equals(m.service()) && !request.mappings().contains(m)) {
                        fromTemplate.add(m);
                    }
                } catch (RuntimeException e) {
                    // an entry the engine reports as a finding of its own: not the template's
                }
            }
        }
        String pid = existing != null ? existing.getPid() : FACTORY_PID + "~" + request.name() + "~template";
        List<TunnelSpec> others = new ArrayList<>();
        r.tunnels().stream().map(TunnelStatus::spec).filter(s -> !s.id().equals(pid)).forEach(others::add);
        io.sshtunnel.api.TemplateApplication a = applyTo(catalog, request, fromTemplate, templateId, values, pid, module, others);
        List<PortMapping> stale = new ArrayList<>(fromTemplate);
        stale.removeAll(a.alreadyPresent());
        if (!a.hasErrors() && !stale.isEmpty()) {
            // again without the stale ones, so that the new targets may take their ports
            List<PortMapping> kept = new ArrayList<>(fromTemplate);
            kept.removeAll(stale);
            a = applyTo(catalog, request, kept, templateId, values, pid, module, others);
        }
        if (a.hasErrors()) {
            throw new TunnelAdminException(a.findings());
        }
        return put(module, request.toBuilder().mappings(a.mappings()).build()).id();
    }

    private static io.sshtunnel.api.TemplateApplication applyTo(io.sshtunnel.api.TemplateCatalog catalog, TunnelRequest request,
            List<PortMapping> fromTemplate, String templateId, Map<String, String> values, String pid, String module,
            List<TunnelSpec> others) {
        List<PortMapping> base = new ArrayList<>(request.mappings());
        base.addAll(fromTemplate);
        TunnelSpec draft = request.toBuilder().mappings(base).build().toSpec(pid, module);
        return catalog.apply(templateId, values, draft, others, Locale.ENGLISH);
    }

    /** The entries of a stored {@code mappings} property: an array, a collection, or one string. */
    private static List<String> entries(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Object[]) {
            for (Object o : (Object[]) v) {
                out.add(String.valueOf(o));
            }
        } else if (v instanceof java.util.Collection) {
            ((java.util.Collection<?>) v).forEach(o -> out.add(String.valueOf(o)));
        } else if (v != null) {
            out.add(v.toString());
        }
        return out;
    }

    void update(String module, String name, TunnelRequest request) {
        Configuration c = owned(module, name);
        replace(c, null, stored -> properties(request, module, stored), "Module \"" + module + "\"", "updated", true, Locale.ENGLISH);
    }

    /** A module's tunnel created, or its tunnel of that name replaced; the findings and whether anything was written. */
    TunnelAdministration.Saved put(String module, TunnelRequest request) {
        String who = "Module \"" + module + "\"";
        if (byName(request.name()) == null) {
            return create(properties(request, module, null), who, Locale.ENGLISH);
        }
        Configuration c = owned(module, request.name());
        return replace(c, null, stored -> properties(request, module, stored), who, "updated", true, Locale.ENGLISH);
    }

    /**
     * Replaces the properties of a configuration the caller may change with what {@code change}
     * makes of the stored ones, read while its PID is reserved; checked first (unless taking it
     * down), a rename only to a free name. Writes nothing when nothing changes, and nothing over a
     * change made since that read (or since {@code version}, where the caller names one): without
     * a version, such a change (the engine pinning a key) is read again once.
     */
    TunnelAdministration.Saved replace(Configuration c, Long version,
            java.util.function.Function<Dictionary<String, Object>, Hashtable<String, Object>> change, String who, String what,
            boolean check, Locale locale) {
        for (int attempt = 1;; attempt++) {
            try {
                return replaceOnce(c, version, change, who, what, check, locale);
            } catch (TunnelAdminException e) {
                boolean stale = e.findings().stream().anyMatch(f -> FindingCodes.STALE_VERSION.equals(f.code()) && f.isError());
                if (!stale || version != null || attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    private TunnelAdministration.Saved replaceOnce(Configuration c, Long version,
            java.util.function.Function<Dictionary<String, Object>, Hashtable<String, Object>> change, String who, String what,
            boolean check, Locale locale) {
        String pid = c.getPid();
        TunnelRuntime r = check ? engine() : null;
        try (Reservation held = new Reservation().hold("pid:" + pid, Reason.of("own.what.pid", pid))) {
            long seen = c.getChangeCount();
            if (version != null && seen != version) {
                throw stale(c, version);
            }
            Dictionary<String, Object> stored = c.getProperties();
            if (stored == null) {
                throw refused(FindingCodes.NOT_FOUND, NAME, Reason.of("own.gone", pid));
            }
            Hashtable<String, Object> props = change.apply(stored);
            String name = display(props, pid);
            Object storedName = stored.get(NAME);
            if (props.get(NAME) != null && !name.equals(storedName == null ? null : storedName.toString())) {
                held.hold("name:" + name, Reason.of("own.what.named", Finding.quote(name)));
                Configuration taken = byName(name);
                if (taken != null && !taken.getPid().equals(pid)) {
                    throw refused(FindingCodes.NAME_TAKEN, NAME, Reason.of("own.nameTaken", Finding.quote(name), taken.getPid(),
                            ownerText(taken)));
                }
            }
            List<Finding> findings = check ? check(r, pid, props, locale) : List.of();
            if (same(copy(stored), props)) {
                return saved(pid, findings, false); // asked for what is stored: no new version, no "updated" in the log
            }
            write(c, seen, props, who, what);
            return saved(pid, findings, true);
        }
    }

    void setEnabled(String module, String name, boolean enabled) {
        setEnabled(owned(module, name), enabled, "Module \"" + module + "\"", Locale.ENGLISH);
    }

    /** Enables (checked first) or disables (no check: taking a tunnel down needs none) the configuration. */
    TunnelAdministration.Saved setEnabled(Configuration c, boolean enabled, String who, Locale locale) {
        return replace(c, null, stored -> {
            Hashtable<String, Object> props = copy(stored);
            props.put(ENABLED, enabled);
            return props;
        }, who, enabled ? "enabled" : "disabled", enabled, locale);
    }

    void delete(String module, String name) {
        delete(owned(module, name), "Module \"" + module + "\"");
    }

    void delete(Configuration c, String who) {
        String pid = c.getPid();
        Dictionary<String, Object> p = c.getProperties();
        String name = p == null ? pid : display(copy(p), pid);
        try (Reservation held = new Reservation().hold("pid:" + pid, Reason.of("own.what.tunnel", Finding.quote(name)))) {
            synchronized (pidLock(pid)) {
                ours.put(pid, DELETED);
                try {
                    c.delete();
                } catch (IOException e) {
                    ours.remove(pid);
                    throw storageFailed(name, e);
                } catch (IllegalStateException e) {
                    ours.remove(pid);
                    throw refused(FindingCodes.NOT_FOUND, NAME, Reason.of("own.gone", pid));
                }
            }
            LOG.info("{} deleted tunnel \"{}\" ({})", who, name, pid);
        }
    }

    /** The tunnel's name for messages: its {@code name}, or the configuration's PID where it has none (the engine's name for it). */
    static String display(Map<String, Object> props, String pid) {
        Object n = props.get(NAME);
        return n == null || n.toString().isBlank() ? pid : n.toString();
    }

    /** Writes the properties; with a version, only if the configuration is still at it. */
    private void write(Configuration c, Long version, Hashtable<String, Object> props, String who, String what) {
        String pid = c.getPid();
        try {
            synchronized (pidLock(pid)) { // the audit of this write's event waits until it is noted as ours
                if (version != null && c.getChangeCount() != version) {
                    throw stale(c, version);
                }
                c.update(props);
                ours.put(pid, c.getChangeCount());
                remember(pid, props);
            }
            LOG.info("{} {} tunnel \"{}\" ({})", who, what, props.get(NAME), pid);
        } catch (IOException e) {
            throw storageFailed(String.valueOf(props.get(NAME)), e);
        }
    }

    /** Whether two property sets say the same (arrays by content, numbers and flags by their text). */
    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            Object x = e.getValue();
            Object y = b.get(e.getKey());
            boolean equal = x instanceof Object[] && y instanceof Object[] ? Arrays.deepEquals((Object[]) x, (Object[]) y)
                    : Objects.equals(String.valueOf(x), String.valueOf(y));
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    static String nameOf(Map<String, Object> props) {
        Object n = props.get(NAME);
        if (n == null || n.toString().isBlank()) {
            throw refused(FindingCodes.REQUIRED, NAME, Reason.of("own.nameRequired"));
        }
        return n.toString();
    }

    private static TunnelAdministration.Saved saved(String id, List<Finding> findings, boolean written) {
        return new Saved(id, List.copyOf(findings), written);
    }

    /** A saved change. */
    private record Saved(String id, List<Finding> findings, boolean written) implements TunnelAdministration.Saved {
    }

    /** A stored configuration; its properties hold secrets, so its text is only its id, name and version. */
    private record Stored(String id, String name, long version, String owner, boolean ownerInstalled, String file,
            Map<String, Object> properties) implements TunnelAdministration.StoredTunnel {
        @Override
        public String toString() {
            return "tunnel configuration " + id + " \"" + name + "\" version " + version;
        }
    }

    private TunnelRuntime engine() {
        TunnelRuntime r = runtime;
        if (r == null) {
            throw refused(FindingCodes.VALIDATION_UNAVAILABLE, NAME, Reason.of("own.engineMissing"));
        }
        return r;
    }

    private static List<Finding> check(TunnelRuntime r, String pid, Hashtable<String, Object> props, Locale locale) {
        List<Finding> findings = r.check(pid, props, locale);
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new TunnelAdminException(findings);
        }
        return findings;
    }

    /** The configuration of the tunnel, if this module owns it; otherwise a refusal naming the owner. */
    private Configuration owned(String module, String name) {
        Configuration c = byName(name);
        if (c == null) {
            throw refused(FindingCodes.NOT_OWNER, NAME, Reason.of("own.noTunnel", Finding.quote(name)));
        }
        Object owner = c.getProperties().get(OWNER);
        if (!module.equals(owner)) {
            throw refused(FindingCodes.NOT_OWNER, OWNER, Reason.of("own.notOwner.module", Finding.quote(name), ownerText(c), module));
        }
        return c;
    }

    // ---- the administrator's side -----------------------------------------------------------

    /** The property FileInstall puts into each configuration it makes from a file. */
    static final String FILE = "felix.fileinstall.filename";

    /** Every tunnel configuration, as the administrator's tools see it. */
    List<TunnelAdministration.StoredTunnel> configurations() {
        List<TunnelAdministration.StoredTunnel> out = new ArrayList<>();
        try {
            Configuration[] all = cm.listConfigurations(TUNNELS);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                TunnelAdministration.StoredTunnel s = storedOf(c);
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list the tunnel configurations: " + e.getMessage(), e);
        }
        return out;
    }

    Optional<TunnelAdministration.StoredTunnel> configuration(String id) {
        return Optional.ofNullable(byId(id)).map(this::storedOf);
    }

    Optional<TunnelAdministration.StoredTunnel> configurationNamed(String name) {
        return Optional.ofNullable(byName(name)).map(this::storedOf);
    }

    /** The tunnel configuration of that PID, or null (also for a PID that is not a tunnel's). */
    Configuration byId(String id) {
        if (id == null || !(id.startsWith(FACTORY_PID + "~") || id.startsWith(FACTORY_PID + "."))) {
            return null;
        }
        Configuration c = find(Filters.equal(Constants.SERVICE_PID, id));
        return c != null && FACTORY_PID.equals(c.getFactoryPid()) && c.getProperties() != null ? c : null;
    }

    /** The administrator's configuration of that id, or a refusal: gone, a module's, or a file's. */
    Configuration administrators(String id, String what) {
        Configuration c = byId(id);
        if (c == null) {
            throw refused(FindingCodes.NOT_FOUND, NAME, Reason.of("own.noConfiguration", Finding.quote(String.valueOf(id))));
        }
        Dictionary<String, Object> p = c.getProperties();
        String name = display(copy(p), c.getPid());
        String owner = ownerOf(p);
        if (owner != null && !(what.equals("delete") && !installed.test(owner))) {
            throw refused(FindingCodes.NOT_OWNER, OWNER, Reason.of("own.notOwner.admin", Finding.quote(name), owner,
                    Reason.of("own.verb." + what)));
        }
        Object file = p.get(FILE);
        if (file != null) {
            // FileInstall does not write changes back (felix.fileinstall.enableConfigSave=false): the file would win later
            throw refused(FindingCodes.FILE_MADE, NAME, Reason.of("own.fileMade", Finding.quote(name), file,
                    Reason.of("own.verb." + what)));
        }
        return c;
    }


    private TunnelAdministration.StoredTunnel storedOf(Configuration c) {
        Dictionary<String, Object> p = c.getProperties();
        if (p == null) {
            return null;
        }
        String owner = ownerOf(p);
        Object f = p.get(FILE);
        Map<String, Object> props = java.util.Collections.unmodifiableMap(copy(p));
        return new Stored(c.getPid(), display(props, c.getPid()), c.getChangeCount(), owner, owner == null || installed.test(owner),
                f == null ? null : f.toString(), props);
    }

    static TunnelAdminException stale(Configuration c, long version) {
        Object name = c.getProperties() == null ? c.getPid() : c.getProperties().get(NAME);
        return refused(FindingCodes.STALE_VERSION, NAME, Reason.of("own.stale", Finding.quote(String.valueOf(name)), version,
                c.getChangeCount()));
    }

    private static Reason ownerText(Configuration c) {
        Object owner = c.getProperties() == null ? null : c.getProperties().get(OWNER);
        return owner == null || owner.toString().isBlank() ? Reason.of("own.owner.admin") : Reason.of("own.owner.module", owner);
    }

    static Refused refused(String code, String property, Reason why) {
        return new Refused(code, property, why);
    }

    /**
     * A refusal of our own (not a validator's findings): English as thrown, for modules and logs;
     * {@link #in(Locale)} says it in the administrator's language.
     */
    static final class Refused extends TunnelAdminException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final String property;
        private final transient Reason why;

        Refused(String code, String property, Reason why) {
            super(List.of(Finding.error(code, property, why.english())));
            this.code = code;
            this.property = property;
            this.why = why;
        }

        TunnelAdminException in(Locale locale) {
            return locale == null || "en".equals(locale.getLanguage()) ? this
                    : new TunnelAdminException(List.of(Finding.error(code, property, why.in(locale))));
        }
    }

    private static TunnelAdminException storageFailed(String name, IOException e) {
        return refused(FindingCodes.INTERNAL, NAME, Reason.of("own.storage", Finding.quote(name), e.getMessage()));
    }

    /** The tunnel configuration whose name (the property, or else the configuration's name) is this one. */
    private Configuration byName(String name) {
        TunnelRuntime r = runtime;
        // the engine's answer first: of two configurations with one name it names the one not refused for it
        String pid = r == null ? null : r.tunnel(name).map(TunnelStatus::id).orElse(null);
        Configuration c = pid == null ? null : find(Filters.equal(Constants.SERVICE_PID, pid));
        if (c != null) {
            return c;
        }
        return find("(&" + TUNNELS + Filters.equal(NAME, name) + ")");
    }

    private Configuration find(String filter) {
        try {
            Configuration[] found = cm.listConfigurations(filter);
            return found == null || found.length == 0 ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list configurations " + filter, e);
        }
    }


    /** The configuration name for a tunnel name, when it is one FileInstall and PIDs take as is; else null. */
    static String configurationName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") ? name : null;
    }

    /**
     * The configuration properties of a request, owned by {@code owner}: the request's own
     * ({@link TunnelRequest#toProperties()}, the one mapping) over the stored ones, so that an
     * update keeps every property a request does not describe. On an update a request without a
     * fingerprint keeps the one pinned, unless the server changed.
     */
    static Hashtable<String, Object> properties(TunnelRequest q, String owner, Dictionary<String, Object> stored) {
        Hashtable<String, Object> p = stored == null ? new Hashtable<>() : copy(stored);
        p.keySet().removeAll(TunnelRequest.propertyNames());
        p.remove(FILE);
        p.putAll(q.toProperties());
        p.put(OWNER, owner);
        if (q.fingerprint() == null && stored != null && Objects.equals(stored.get(SERVER_HOST), q.serverHost())
                && Objects.equals(String.valueOf(stored.get(SERVER_PORT)), String.valueOf(q.serverPort()))) {
            Object pinned = stored.get(FINGERPRINT);
            if (pinned != null && !pinned.toString().isBlank()) {
                p.put(FINGERPRINT, pinned.toString());
            }
        }
        return p;
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            out.put(key, d.get(key));
        }
        return withoutBookkeeping(out);
    }

    /** The properties without Config Admin's own (PID, factory PID, bundle location). */
    static Hashtable<String, Object> withoutBookkeeping(Hashtable<String, Object> p) {
        p.remove(Constants.SERVICE_PID);
        p.remove(ConfigurationAdmin.SERVICE_FACTORYPID);
        p.remove(ConfigurationAdmin.SERVICE_BUNDLELOCATION);
        return p;
    }

    // ---- the audit --------------------------------------------------------------------------

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        String pid = event.getPid();
        synchronized (pidLock(pid)) { // a change of our own is recorded before its event is looked at
            Long mine = ours.get(pid);
            if (event.getType() == ConfigurationEvent.CM_DELETED) {
                ours.remove(pid);
                Seen was = seen.remove(pid);
                if (was != null && (mine == null || mine != DELETED)) {
                    audit.accept("Audit: tunnel \"" + was.name + "\" owned by module \"" + was.owner + "\" was deleted outside its"
                            + " module (not through its tunnel admin service): the module may create it again");
                }
                return;
            }
            if (event.getType() != ConfigurationEvent.CM_UPDATED) {
                return;
            }
            Configuration c = find(Filters.equal(Constants.SERVICE_PID, pid));
            if (c == null || c.getProperties() == null) {
                return;
            }
            Seen was = seen.get(pid);
            Seen now = remember(pid, c.getProperties());
            if (mine != null && mine == c.getChangeCount()) {
                return; // written by the module through this class
            }
            if (was == null && now == null) {
                return; // the administrator's tunnel
            }
            Set<String> changed = changed(was, now);
            if (!changed.isEmpty()) {
                String owner = was != null ? was.owner : now.owner;
                String name = now != null ? now.name : was.name;
                audit.accept("Audit: tunnel \"" + name + "\" owned by module \"" + owner + "\" was changed outside its module (not"
                        + " through its tunnel admin service): " + changed + " changed; the module may not expect this");
            }
        }
    }

    private static Set<String> changed(Seen was, Seen now) {
        Set<String> keys = new TreeSet<>();
        Map<String, Integer> a = was == null ? Map.of() : was.hashes;
        Map<String, Integer> b = now == null ? Map.of() : now.hashes;
        keys.addAll(a.keySet());
        keys.addAll(b.keySet());
        keys.removeIf(k -> Objects.equals(a.get(k), b.get(k)));
        if (was != null && now == null) {
            keys.add(OWNER);
        }
        return keys;
    }

    /** Records an owned configuration as seen now (or forgets one that has no owner any more). */
    private Seen remember(String pid, Dictionary<String, Object> props) {
        Object owner = props == null ? null : props.get(OWNER);
        if (owner == null || owner.toString().isBlank()) {
            seen.remove(pid);
            return null;
        }
        Map<String, Integer> hashes = new HashMap<>();
        for (Enumeration<String> k = props.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            if (key.equals(FINGERPRINT) || key.equals(Constants.SERVICE_PID) || key.startsWith("service.")
                    || key.startsWith("felix.")) {
                continue; // the engine pins a trusted fingerprint itself; the rest is Config Admin's bookkeeping
            }
            Object v = props.get(key);
            hashes.put(key, v instanceof Object[] ? Arrays.deepHashCode((Object[]) v) : Objects.hashCode(String.valueOf(v)));
        }
        Object name = props.get(NAME);
        Seen s = new Seen(owner.toString(), name == null ? pid : name.toString(), hashes);
        seen.put(pid, s);
        return s;
    }

    /** Every owned tunnel's module, for the console guard. */
    static String ownerOf(Dictionary<String, Object> props) {
        Object owner = props == null ? null : props.get(OWNER);
        return owner == null || owner.toString().isBlank() ? null : owner.toString();
    }

    static List<String> errors(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        findings.stream().filter(Finding::isError).forEach(f -> out.add(f.message()));
        return out;
    }
}
