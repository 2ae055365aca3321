package io.sshtunnel.ownership.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortRange;
import io.sshtunnel.api.TunnelPolicy;

/**
 * A module's {@link TunnelPolicy} as its bundle declares it, in a capability of the namespace
 * {@value io.sshtunnel.api.TunnelConstants#POLICY_NAMESPACE}:
 *
 * <pre>
 * Provide-Capability: io.sshtunnel.policy;kinds:List&lt;String&gt;="R";gateway=false;\
 *   ports:List&lt;String&gt;="9100-9199,6556";templates:List&lt;String&gt;="prometheus,checkmk"
 * </pre>
 *
 * Every attribute is optional; an absent one allows everything. A declaration that cannot be
 * read allows nothing (every mapping of the module is refused naming it) rather than everything.
 */
final class DeclaredPolicy implements TunnelPolicy {
    private final String module;
    private final Set<MappingKind> kinds;
    private final boolean gateway;
    private final List<PortRange> ports;
    private final Set<String> templates;
    private final String problem;

    private DeclaredPolicy(String module, Set<MappingKind> kinds, boolean gateway, List<PortRange> ports, Set<String> templates,
            String problem) {
        this.module = module;
        this.kinds = kinds;
        this.gateway = gateway;
        this.ports = ports;
        this.templates = templates;
        this.problem = problem;
    }

    static DeclaredPolicy of(String module, Map<String, Object> attributes) {
        try {
            Set<MappingKind> kinds = EnumSet.noneOf(MappingKind.class);
            List<String> k = strings(attributes.get("kinds"));
            if (k == null) {
                // L and R: D reaches any host the SSH server reaches, so a module asks for it by name
                kinds = EnumSet.of(MappingKind.L, MappingKind.R);
            } else {
                for (String s : k) {
                    MappingKind kind = MappingKind.of(s);
                    if (kind == null) {
                        throw new IllegalArgumentException("kinds: \"" + s + "\" is not L, R or D");
                    }
                    kinds.add(kind);
                }
            }
            Object g = attributes.get("gateway");
            boolean gateway = g == null || Boolean.parseBoolean(g.toString().strip());
            if (g != null && !g.toString().strip().matches("(?i)true|false")) {
                throw new IllegalArgumentException("gateway: \"" + g + "\" is neither true nor false");
            }
            List<PortRange> ports = new ArrayList<>();
            List<String> p = strings(attributes.get("ports"));
            for (String s : p == null ? List.<String>of() : p) {
                try {
                    ports.add(PortRange.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ports: \"" + s + "\" is not a port or range such as 1024-2000");
                }
            }
            List<String> t = strings(attributes.get("templates"));
            return new DeclaredPolicy(module, kinds, gateway, List.copyOf(ports), t == null ? Set.of() : Set.copyOf(t), null);
        } catch (IllegalArgumentException e) {
            return new DeclaredPolicy(module, Set.of(), false, List.of(), Set.of(), e.getMessage());
        }
    }

    /** A list attribute, or a comma-separated string; null when absent. */
    private static List<String> strings(Object v) {
        if (v == null) {
            return null;
        }
        Collection<?> items = v instanceof Collection ? (Collection<?>) v : List.of(v.toString().split(","));
        Set<String> out = new LinkedHashSet<>();
        for (Object o : items) {
            String s = String.valueOf(o).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** Why the declaration could not be read (then it allows nothing), or null. */
    String problem() {
        return problem;
    }

    @Override
    public String module() {
        return module;
    }

    @Override
    public Set<MappingKind> allowedKinds() {
        return kinds;
    }

    @Override
    public boolean gatewayAllowed() {
        return gateway;
    }

    @Override
    public List<PortRange> allowedBindPorts() {
        return ports;
    }

    @Override
    public Set<String> allowedTemplates() {
        return templates;
    }

    @Override
    public String toString() {
        return "policy of " + module + ": kinds " + kinds + ", gateway " + (gateway ? "allowed" : "not allowed") + ", ports "
                + (ports.isEmpty() ? "any" : ports) + ", templates " + (templates.isEmpty() ? "any" : templates)
                + (problem == null ? "" : " (unreadable: " + problem + ")");
    }
}
