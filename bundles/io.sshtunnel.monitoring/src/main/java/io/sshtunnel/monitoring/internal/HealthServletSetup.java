package io.sshtunnel.monitoring.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the framework property {@value #PROPERTY} (the assembly sets {@code /system/health}), makes
 * sure Felix Health Check's executor servlet is configured at that path, so the health page works
 * out of the box. It creates the configuration once and never changes one that exists (an operator
 * may have edited it), except that JSONP is turned off in one made by an earlier version. No CORS
 * header and no JSONP: another site's page must not read the tunnels' health.
 */
@Component(service = {}, immediate = true)
public final class HealthServletSetup {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServletSetup.class);
    static final String PROPERTY = "io.sshtunnel.health.servlet";
    static final String FACTORY_PID = "org.apache.felix.hc.core.impl.servlet.HealthCheckExecutorServlet";
    static final String FORMATS = "allowed.formats";
    /**
     * Every format but JSONP: a JSONP answer is a script that any site's page may load with a
     * {@code <script>} tag and so read, whatever CORS says.
     */
    static final String[] SAFE_FORMATS = { "html", "json", "txt", "verbose.txt" };

    private static Hashtable<String, Object> copy(java.util.Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            out.put(key, d.get(key));
        }
        return out;
    }

    @Activate
    public HealthServletSetup(BundleContext context, @Reference ConfigurationAdmin cm) {
        String path = context.getProperty(PROPERTY);
        if (path == null || path.isBlank()) {
            return;
        }
        try {
            Configuration c = cm.getFactoryConfiguration(FACTORY_PID, "sshtunnel", "?");
            if (c.getProperties() == null) {
                Hashtable<String, Object> p = new Hashtable<>();
                p.put("servletPath", path.strip());
                p.put("cors.accessControlAllowOrigin", "");
                p.put(FORMATS, SAFE_FORMATS);
                c.update(p);
                LOG.info("Health checks at {} (framework property {})", path.strip(), PROPERTY);
            } else if (c.getProperties().get(FORMATS) == null) {
                // made by an earlier version, which left JSONP on: another site's page could read it with a script tag
                Hashtable<String, Object> p = copy(c.getProperties());
                p.put(FORMATS, SAFE_FORMATS);
                c.update(p);
                LOG.warn("Health checks at {}: JSONP is now off (another site's page could read it); the other formats stay", path);
            }
        } catch (IOException e) {
            LOG.warn("Could not configure the health check servlet at {}: {}", path, e.toString());
        }
    }
}
