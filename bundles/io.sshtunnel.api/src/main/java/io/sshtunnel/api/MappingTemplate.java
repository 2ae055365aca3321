package io.sshtunnel.api;

import java.util.Map;
import java.util.Objects;

/**
 * One mapping a {@link TunnelTemplate} inserts: its kind, whether it is a gateway, the port it
 * suggests to bind (moved to the nearest free one when applied), its target (a fixed host such as
 * {@code localhost}, or a {@link Placeholder} the user fills), the target port, a label, and the
 * service id its {@link TunnelEndpoint} carries as {@code mapping.service}. Immutable.
 */
public final class MappingTemplate {
    private final MappingKind kind;
    private final boolean gateway;
    private final int suggestedPort;
    private final String targetHost;
    private final Placeholder target;
    private final int targetPort;
    private final String label;
    private final String service;

    private MappingTemplate(MappingKind kind, boolean gateway, int suggestedPort, String targetHost, Placeholder target,
            int targetPort, String label, String service) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.gateway = gateway;
        this.suggestedPort = port(suggestedPort);
        this.targetHost = targetHost;
        this.target = target;
        this.targetPort = port(targetPort);
        this.label = label;
        if (!PortMapping.isServiceId(service)) {
            throw new IllegalArgumentException("service id \"" + service + "\" is not lower-case letters, digits, '.', '-' and '_'");
        }
        this.service = service;
    }

    private static int port(int p) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1-65535");
        }
        return p;
    }

    /** A mapping to a fixed target host, e.g. {@code R 2222:localhost:22}. */
    public static MappingTemplate fixed(MappingKind kind, boolean gateway, int suggestedPort, String targetHost, int targetPort,
            String label, String service) {
        return new MappingTemplate(kind, gateway, suggestedPort, Objects.requireNonNull(targetHost, "targetHost"), null,
                targetPort, label, service);
    }

    /** A mapping to a host the user names, e.g. {@code L 1389:<dc>:389}. */
    public static MappingTemplate toPlaceholder(MappingKind kind, boolean gateway, int suggestedPort, Placeholder target,
            int targetPort, String label, String service) {
        return new MappingTemplate(kind, gateway, suggestedPort, null, Objects.requireNonNull(target, "target"), targetPort,
                label, service);
    }

    public MappingKind kind() { return kind; }
    /** Whether the mapping binds every interface ({@code *}), so that other hosts can use it. */
    public boolean gateway() { return gateway; }
    /** The port to bind (local for {@code L}, on the SSH server for {@code R}) when it is free. */
    public int suggestedPort() { return suggestedPort; }
    /** The fixed target host, or {@code null} when {@link #placeholder()} names it. */
    public String targetHost() { return targetHost; }
    /** The placeholder the user fills with the target host, or {@code null} for a fixed one. */
    public Placeholder placeholder() { return target; }
    public int targetPort() { return targetPort; }
    /** The label of the inserted mapping, or {@code null}. */
    public String label() { return label; }
    /** The {@code mapping.service} of the inserted mapping. */
    public String service() { return service; }

    /**
     * The mapping at the given port, its target host filled from the values.
     *
     * @throws IllegalArgumentException when the placeholder has no value or the mapping cannot be built
     */
    public PortMapping toMapping(int port, Map<String, String> values) {
        String host = targetHost;
        if (target != null) {
            String v = values == null ? null : values.get(target.name());
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("no value for " + target);
            }
            host = v.strip();
        }
        return new PortMapping(kind, gateway ? PortMapping.WILDCARD : null, port, host, targetPort, label, service);
    }

    /** How the template reads, e.g. {@code L *:1712:<md>:1712}. */
    @Override
    public String toString() {
        return kind + " " + (gateway ? "*:" : "") + suggestedPort + ":" + (target != null ? target.toString() : targetHost) + ":" + targetPort;
    }
}
