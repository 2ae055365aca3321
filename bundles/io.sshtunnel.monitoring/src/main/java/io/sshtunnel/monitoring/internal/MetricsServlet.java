package io.sshtunnel.monitoring.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelStatus;

/**
 * Prometheus scrapes the tunnels at {@code /metrics/sshtunnel} of the container's HTTP service
 * (the OSGi servlet whiteboard). Read-only, no secret in it: tunnel names, mappings, states and counters.
 */
@Component(service = Servlet.class, property = { "osgi.http.whiteboard.servlet.pattern=/metrics/sshtunnel",
        "osgi.http.whiteboard.servlet.name=sshtunnel-metrics" })
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TunnelRuntime runtime;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        TunnelRuntime r = runtime;
        List<TunnelStatus> tunnels = r == null ? List.of() : r.tunnels();
        byte[] body = PrometheusFormat.write(tunnels).getBytes(StandardCharsets.UTF_8);
        resp.setContentType(PrometheusFormat.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
