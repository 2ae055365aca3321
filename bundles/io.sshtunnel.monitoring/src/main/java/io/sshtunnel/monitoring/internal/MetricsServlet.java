package io.sshtunnel.monitoring.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelStatus;

/**
 * Prometheus scrapes the tunnels at {@code /metrics/sshtunnel} of the container's HTTP service
 * (the OSGi servlet whiteboard). Read-only, no secret in it: tunnel names, mappings, states and counters.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=" + MetricsServlet.PATH, "osgi.http.whiteboard.servlet.name=sshtunnel-metrics" })
@Designate(ocd = MetricsServlet.Config.class)
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/metrics/sshtunnel";
    static final String PID = "io.sshtunnel.metrics";

    @ObjectClassDefinition(name = "SSH tunnel metrics", description = "Prometheus metrics of the tunnels at " + PATH
            + ". Open to every local program unless a password is set; Prometheus then scrapes with basic_auth.")
    @interface Config {
        @AttributeDefinition(name = "User", description = "The user Prometheus sends (basic_auth username). Only used with a password.")
        String username() default "prometheus";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "When set, the metrics answer only"
                + " to HTTP Basic with this user and password (Prometheus: basic_auth in the scrape configuration);"
                + " $[secret:NAME] reads it from secrets/. Empty: no login.")
        String password() default "";
    }

    private final transient BasicAuth login;

    @Activate
    public MetricsServlet(Config config) {
        this.login = new BasicAuth(config.username(), config.password());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TunnelRuntime runtime;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!login.allows(req.getHeader("Authorization"))) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"sshtunnel metrics\", charset=\"UTF-8\"");
            resp.setHeader("Cache-Control", "no-store");
            resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "the metrics need a login: user and password of " + PID);
            return;
        }
        TunnelRuntime r = runtime;
        List<TunnelStatus> tunnels = r == null ? List.of() : r.tunnels();
        byte[] body = PrometheusFormat.write(tunnels).getBytes(StandardCharsets.UTF_8);
        resp.setContentType(PrometheusFormat.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
