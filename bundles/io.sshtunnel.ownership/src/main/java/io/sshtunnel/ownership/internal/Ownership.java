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
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelStatus;

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

    private final ConfigurationAdmin cm;
    /** Where audit warnings go: the log. */
    private final java.util.function.Consumer<String> audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TunnelRuntime runtime;

    private final Object lock = new Object();
    /** The change count each configuration had after this class wrote it (guarded by {@link #lock}). */
    private final Map<String, Long> ours = new HashMap<>();
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
    public Ownership(@Reference ConfigurationAdmin cm) {
        this(cm, LOG::warn);
    }

    /** For tests: audit warnings to the given sink. */
    Ownership(ConfigurationAdmin cm, java.util.function.Consumer<String> audit) {
        this.cm = cm;
        this.audit = audit;
        try {
            Configuration[] all = cm.listConfigurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + FACTORY_PID + ")");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                remember(c.getPid(), c.getProperties());
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Could not read the tunnel configurations for the audit of module tunnels", e);
        }
    }

    /** For tests: with this runtime. */
    Ownership withRuntime(TunnelRuntime r) {
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

    // ---- changing ---------------------------------------------------------------------------

    String create(String module, TunnelRequest request) {
        synchronized (lock) {
            TunnelRuntime r = engine();
            Configuration taken = byName(request.name());
            if (taken != null) {
                throw refused(FindingCodes.NAME_TAKEN, NAME, "name \"" + Finding.quote(request.name()) + "\" is already the name of"
                        + " tunnel " + taken.getPid() + " (owned by " + ownerText(taken) + "): tunnel names are unique in the"
                        + " container, choose another name");
            }
            Hashtable<String, Object> props = properties(request, module, null);
            String local = configurationName(request.name());
            boolean named = local != null && find("(" + Constants.SERVICE_PID + "=" + escape(FACTORY_PID + "~" + local) + ")") == null;
            check(r, named ? FACTORY_PID + "~" + local : FACTORY_PID + "~new", props);
            try {
                Configuration c = named ? cm.getFactoryConfiguration(FACTORY_PID, local, "?")
                        : cm.createFactoryConfiguration(FACTORY_PID, "?");
                c.update(props);
                ours.put(c.getPid(), c.getChangeCount());
                remember(c.getPid(), props);
                LOG.info("Module \"{}\" created tunnel \"{}\" ({})", module, request.name(), c.getPid());
                return c.getPid();
            } catch (IOException e) {
                throw storageFailed(request.name(), e);
            }
        }
    }

    void update(String module, String name, TunnelRequest request) {
        synchronized (lock) {
            TunnelRuntime r = engine();
            Configuration c = owned(module, name);
            Dictionary<String, Object> stored = c.getProperties();
            if (!request.name().equals(name)) {
                Configuration taken = byName(request.name());
                if (taken != null) {
                    throw refused(FindingCodes.NAME_TAKEN, NAME, "name \"" + Finding.quote(request.name()) + "\" is already the"
                            + " name of tunnel " + taken.getPid() + " (owned by " + ownerText(taken) + "): choose another name");
                }
            }
            Hashtable<String, Object> props = properties(request, module, stored);
            check(r, c.getPid(), props);
            write(c, props, module, "updated");
        }
    }

    void setEnabled(String module, String name, boolean enabled) {
        synchronized (lock) {
            TunnelRuntime r = engine();
            Configuration c = owned(module, name);
            Hashtable<String, Object> props = copy(c.getProperties());
            props.put(ENABLED, enabled);
            if (enabled) {
                check(r, c.getPid(), props);
            }
            write(c, props, module, enabled ? "enabled" : "disabled");
        }
    }

    void delete(String module, String name) {
        synchronized (lock) {
            Configuration c = owned(module, name);
            String pid = c.getPid();
            try {
                ours.put(pid, DELETED);
                c.delete();
                LOG.info("Module \"{}\" deleted tunnel \"{}\" ({})", module, name, pid);
            } catch (IOException e) {
                ours.remove(pid);
                throw storageFailed(name, e);
            }
        }
    }

    private void write(Configuration c, Hashtable<String, Object> props, String module, String what) {
        try {
            c.update(props);
            ours.put(c.getPid(), c.getChangeCount());
            remember(c.getPid(), props);
            LOG.info("Module \"{}\" {} tunnel \"{}\" ({})", module, what, props.get(NAME), c.getPid());
        } catch (IOException e) {
            throw storageFailed(String.valueOf(props.get(NAME)), e);
        }
    }

    private TunnelRuntime engine() {
        TunnelRuntime r = runtime;
        if (r == null) {
            throw refused(FindingCodes.VALIDATION_UNAVAILABLE, NAME, "the tunnel engine (bundle io.sshtunnel.core) is not"
                    + " running, so the change cannot be checked: nothing was saved; start that bundle and try again");
        }
        return r;
    }

    private static void check(TunnelRuntime r, String pid, Hashtable<String, Object> props) {
        List<Finding> findings = r.check(pid, props, Locale.ENGLISH);
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new TunnelAdminException(findings);
        }
    }

    /** The configuration of the tunnel, if this module owns it; otherwise a refusal naming the owner. */
    private Configuration owned(String module, String name) {
        Configuration c = byName(name);
        if (c == null) {
            throw refused(FindingCodes.NOT_OWNER, NAME, "there is no tunnel \"" + Finding.quote(name) + "\": nothing was changed");
        }
        Object owner = c.getProperties().get(OWNER);
        if (!module.equals(owner)) {
            throw refused(FindingCodes.NOT_OWNER, OWNER, "tunnel \"" + Finding.quote(name) + "\" is owned by " + ownerText(c)
                    + ", not by module \"" + module + "\": only its owner may change or delete it; nothing was changed");
        }
        return c;
    }

    private static String ownerText(Configuration c) {
        Object owner = c.getProperties() == null ? null : c.getProperties().get(OWNER);
        return owner == null || owner.toString().isBlank() ? "the administrator" : "module \"" + owner + "\"";
    }

    private static TunnelAdminException refused(String code, String property, String message) {
        return new TunnelAdminException(List.of(Finding.error(code, property, message)));
    }

    private static TunnelAdminException storageFailed(String name, IOException e) {
        return refused(FindingCodes.INTERNAL, NAME, "tunnel \"" + Finding.quote(name) + "\" could not be saved by Config Admin ("
                + e.getMessage() + "): check the container's storage");
    }

    /** The tunnel configuration whose name (the property, or else the configuration's name) is this one. */
    private Configuration byName(String name) {
        TunnelRuntime r = runtime;
        // the engine's answer first: of two configurations with one name it names the one not refused for it
        String pid = r == null ? null : r.tunnel(name).map(TunnelStatus::id).orElse(null);
        Configuration c = pid == null ? null : find("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
        if (c != null) {
            return c;
        }
        return find("(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + FACTORY_PID + ")(" + NAME + "=" + escape(name) + "))");
    }

    private Configuration find(String filter) {
        try {
            Configuration[] found = cm.listConfigurations(filter);
            return found == null || found.length == 0 ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list configurations " + filter, e);
        }
    }

    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '*' || ch == '(' || ch == ')') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /** The configuration name for a tunnel name, when it is one FileInstall and PIDs take as is; else null. */
    static String configurationName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") ? name : null;
    }

    /**
     * The configuration properties of a request. On an update a request without a fingerprint
     * keeps the one pinned, unless the server changed.
     */
    static Hashtable<String, Object> properties(TunnelRequest q, String owner, Dictionary<String, Object> stored) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(NAME, q.name());
        p.put(ENABLED, q.enabled());
        p.put(OWNER, owner);
        if (q.serverHost() != null) {
            p.put(SERVER_HOST, q.serverHost());
        }
        p.put(SERVER_PORT, q.serverPort());
        if (q.username() != null) {
            p.put(USERNAME, q.username());
        }
        if (q.password() != null && !q.password().isEmpty()) {
            p.put(PASSWORD, q.password());
        }
        if (q.privateKeyPath() != null && !q.privateKeyPath().isBlank()) {
            p.put(PRIVATE_KEY_PATH, q.privateKeyPath());
        }
        if (q.passphrase() != null && !q.passphrase().isEmpty()) {
            p.put(PRIVATE_KEY_PASSPHRASE, q.passphrase());
        }
        String fp = q.fingerprint();
        if (fp == null && stored != null && Objects.equals(stored.get(SERVER_HOST), q.serverHost())
                && Objects.equals(String.valueOf(stored.get(SERVER_PORT)), String.valueOf(q.serverPort()))) {
            Object pinned = stored.get(FINGERPRINT);
            fp = pinned == null ? null : pinned.toString();
        }
        if (fp != null && !fp.isBlank()) {
            p.put(FINGERPRINT, fp);
        }
        p.put(FINGERPRINT_REQUIRED, q.fingerprintRequired());
        p.put(MAPPINGS, q.mappings().stream().map(PortMapping::format).toArray(String[]::new));
        p.put(KEEPALIVE_SECONDS, q.keepaliveSeconds());
        p.put(RECONNECT_MAX_SECONDS, q.reconnectMaxSeconds());
        p.put(CONNECT_TIMEOUT_SECONDS, q.connectTimeoutSeconds());
        return p;
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            out.put(key, d.get(key));
        }
        out.remove(Constants.SERVICE_PID);
        out.remove(ConfigurationAdmin.SERVICE_FACTORYPID);
        out.remove(ConfigurationAdmin.SERVICE_BUNDLELOCATION);
        return out;
    }

    // ---- the audit --------------------------------------------------------------------------

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        String pid = event.getPid();
        synchronized (lock) { // a change of our own is recorded before its event is looked at
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
            Configuration c = find("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
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
