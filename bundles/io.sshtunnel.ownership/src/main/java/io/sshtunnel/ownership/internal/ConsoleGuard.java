package io.sshtunnel.ownership.internal;

import static io.sshtunnel.api.TunnelConstants.FACTORY_PID;
import static io.sshtunnel.api.TunnelConstants.NAME;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.felix.webconsole.spi.ConfigurationHandler;
import org.apache.felix.webconsole.spi.ValidationException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.TunnelRuntime;

/**
 * The Web Console's Configuration Manager asks this before it saves or deletes a tunnel
 * configuration: a module's tunnel is refused naming its owner (only the module changes it), and
 * an administrator's edit is checked as the engine would check it, so that an invalid one is
 * refused with the findings (HTTP 400) instead of saved. Loaded only where the Web Console's SPI
 * is wired (see {@link ConsoleGuardRegistrar}).
 */
final class ConsoleGuard implements ConfigurationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGuard.class);

    private final ConfigurationAdmin cm;
    private final Supplier<TunnelRuntime> runtime;

    ConsoleGuard(ConfigurationAdmin cm, Supplier<TunnelRuntime> runtime) {
        this.cm = cm;
        this.runtime = runtime;
    }

    @Override
    public void createConfiguration(String pid) {
        // a tunnel is a factory configuration: nothing to say about a plain one
    }

    @Override
    public void createFactoryConfiguration(String factoryPid, String name) {
        // checked when its properties come (updateConfiguration)
    }

    @Override
    public void deleteConfiguration(String factoryPid, String pid) throws ValidationException, IOException {
        Configuration stored = stored(pid);
        if (stored == null || !FACTORY_PID.equals(stored.getFactoryPid())) {
            return;
        }
        String owner = Ownership.ownerOf(stored.getProperties());
        if (owner != null) {
            throw refuse("Tunnel \"" + name(stored, pid) + "\" is owned by module \"" + owner + "\": only that module may"
                    + " delete it (stop or reconfigure the module instead); nothing was deleted");
        }
    }

    @Override
    public void updateConfiguration(String factoryPid, String pid, Dictionary<String, Object> props)
            throws ValidationException, IOException {
        Configuration stored = stored(pid);
        boolean tunnel = FACTORY_PID.equals(factoryPid) || stored != null && FACTORY_PID.equals(stored.getFactoryPid());
        if (!tunnel) {
            return;
        }
        String owner = stored == null ? null : Ownership.ownerOf(stored.getProperties());
        if (owner != null) {
            throw refuse("Tunnel \"" + name(stored, pid) + "\" is owned by module \"" + owner + "\": only that module may change"
                    + " it; nothing was saved");
        }
        TunnelRuntime r = runtime.get();
        if (r == null) {
            return; // no engine to ask: the engine checks the configuration when it starts
        }
        String id = stored != null ? stored.getPid() : FACTORY_PID + "~new";
        List<Finding> findings = r.check(id, map(props), Locale.ENGLISH);
        List<String> errors = Ownership.errors(findings);
        if (!errors.isEmpty()) {
            throw refuse("Tunnel \"" + props.get(NAME) + "\" was not saved: " + String.join("; ", errors));
        }
    }

    private static ValidationException refuse(String message) {
        LOG.warn("Web Console: {}", message);
        return new ValidationException(message);
    }

    private Configuration stored(String pid) throws IOException {
        try {
            Configuration[] c = cm.listConfigurations(io.sshtunnel.common.Filters.equal(Constants.SERVICE_PID, pid));
            return c == null || c.length == 0 ? null : c[0];
        } catch (InvalidSyntaxException e) {
            return null; // the console's placeholder for a new configuration is no filter value
        }
    }

    private static String name(Configuration c, String pid) {
        Object n = c.getProperties() == null ? null : c.getProperties().get(NAME);
        return n == null ? pid : n.toString();
    }

    private static Map<String, Object> map(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        for (Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            m.put(key, d.get(key));
        }
        return m;
    }
}
