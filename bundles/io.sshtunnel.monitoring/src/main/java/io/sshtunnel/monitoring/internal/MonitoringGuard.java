package io.sshtunnel.monitoring.internal;

import java.io.IOException;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Hosts;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Health and metrics answer only to this machine's names, as the console does: a page of another
 * site whose name is made to point at 127.0.0.1 (DNS rebinding) gets 403 and reads nothing. An
 * HTTP service bound to one address answers only to that address's names (for 127.0.0.1:
 * {@code localhost}, {@code 127.0.0.1}, {@code [::1]}) and to those listed in the framework
 * property {@value #HOSTS_PROPERTY}; one bound to every interface answers to any. Other paths pass.
 */
@Component(service = Filter.class, property = {
        "osgi.http.whiteboard.filter.name=sshtunnel-monitoring-hosts",
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)",
        "service.ranking:Integer=1000" })
public final class MonitoringGuard implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringGuard.class);
    /** The same framework property as the console's: further host names, comma-separated. */
    static final String HOSTS_PROPERTY = Hosts.EXTRA_HOSTS_PROPERTY;
    static final String DEFAULT_HEALTH_PATH = "/system/health";

    private final Set<String> hosts;
    private final String healthPath;

    @Activate
    public MonitoringGuard(BundleContext context) {
        this(Hosts.allowedHostHeaders(context.getProperty(Hosts.HTTP_HOST_PROPERTY), context.getProperty(HOSTS_PROPERTY)),
                context.getProperty(HealthServletSetup.PROPERTY));
    }

    MonitoringGuard(Set<String> hosts, String healthPath) {
        this.hosts = hosts;
        this.healthPath = healthPath == null || healthPath.isBlank() ? DEFAULT_HEALTH_PATH : healthPath.strip();
    }

    /** Whether the path is one of ours: the health servlet's (any format) or the metrics. */
    boolean guarded(String path) {
        return path != null && (path.equals(healthPath) || path.startsWith(healthPath + ".") || path.startsWith(healthPath + "/")
                || path.equals(MetricsServlet.PATH) || path.startsWith(MetricsServlet.PATH + "/"));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = request.getRequestURI();
        if (!guarded(path) || Hosts.hostHeaderAllowed(hosts, request.getHeader("Host"))) {
            chain.doFilter(req, res);
            return;
        }
        String host = io.sshtunnel.api.Finding.quote(Hosts.hostOfHeader(request.getHeader("Host")));
        LOG.warn("Refused {} {} from {}: host name {} is not this machine's", request.getMethod(), path, request.getRemoteAddr(), host);
        HttpServletResponse response = (HttpServletResponse) res;
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().println("Forbidden: this server does not answer to the host name " + host
                + " (add it to the framework property " + HOSTS_PROPERTY + " if it is meant)");
    }
}
