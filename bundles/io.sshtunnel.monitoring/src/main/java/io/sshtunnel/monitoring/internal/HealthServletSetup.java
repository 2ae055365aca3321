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
 * may have edited it). No CORS header: another site's page must not read the tunnels' health.
 */
@Component(service = {}, immediate = true)
public final class HealthServletSetup {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServletSetup.class);
    static final String PROPERTY = "io.sshtunnel.health.servlet";
    static final String FACTORY_PID = "org.apache.felix.hc.core.impl.servlet.HealthCheckExecutorServlet";

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
                c.update(p);
                LOG.info("Health checks at {} (framework property {})", path.strip(), PROPERTY);
            }
        } catch (IOException e) {
            LOG.warn("Could not configure the health check servlet at {}: {}", path, e.toString());
        }
    }
}
