package io.sshtunnel.core.engine;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.sshtunnel.api.TunnelConstants;

/**
 * The label the Web Console's Configuration Manager shows for each tunnel configuration, made
 * here and capped: the console fills its name hint ({@code {name} → {server.host}}) with the
 * stored values whole, so one configuration with a 10 MB value would make the list 10 MB. The
 * console first looks for a service registered with the configuration's {@code service.pid} and
 * takes the hint from it; this registers one (a marker, no secret in its properties) whose hint is
 * the finished, capped label.
 */
final class ConsoleLabels {
    /** The console's service property for a factory configuration's label. */
    static final String NAME_HINT = "webconsole.configurationFactory.nameHint";
    static final int MAX = 80;

    /** The type the marker services are registered under: nobody looks them up by it. */
    static final class Label {
        private Label() {
        }
    }

    private final Map<String, ServiceRegistration<Label>> registrations = new ConcurrentHashMap<>();

    /** Shows the label for a configuration that just arrived. */
    void show(BundleContext context, String pid, Map<String, ?> properties) {
        remove(pid); // a configuration opened again (the engine replaces its tunnel)
        try {
            registrations.put(pid, context.registerService(Label.class, new Label(), serviceProperties(pid, properties)));
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
    }

    /** Shows the label for a configuration's changed properties. */
    void update(String pid, Map<String, ?> properties) {
        ServiceRegistration<Label> r = registrations.get(pid);
        if (r != null) {
            try {
                r.setProperties(serviceProperties(pid, properties));
            } catch (IllegalStateException e) {
                registrations.remove(pid, r); // unregistered meanwhile
            }
        }
    }

    private static Hashtable<String, Object> serviceProperties(String pid, Map<String, ?> properties) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Constants.SERVICE_PID, pid);
        p.put(NAME_HINT, label(properties, pid));
        return p;
    }

    void remove(String pid) {
        ServiceRegistration<Label> r = registrations.remove(pid);
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
    }

    void removeAll() {
        registrations.keySet().forEach(this::remove);
    }

    /** {@code name → server.host}, each part printable and at most {@value #MAX} characters; no placeholder left for the console. */
    static String label(Map<String, ?> properties, String pid) {
        Object name = properties.get(TunnelConstants.NAME);
        String n = name == null || name.toString().isBlank() ? pid.substring(pid.indexOf('~') + 1) : name.toString();
        Object host = properties.get(TunnelConstants.SERVER_HOST);
        return cap(n) + " \u2192 " + cap(host == null ? "" : host.toString());
    }

    private static String cap(String s) {
        String t = s.strip().replaceAll("[\\p{Cntrl}{}]", "?");
        return t.length() <= MAX ? t : t.substring(0, MAX) + "\u2026";
    }
}
