package io.sshtunnel.core.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The modules that are active now, as the {@link io.sshtunnel.api.TunnelModule} services say: a
 * tunnel whose owner is not among them is held back ({@code DISABLED}) with {@link #reason(String)}.
 * Counted per name, since a module's service may be replaced by a new one before the old goes.
 */
final class ActiveModules {
    private final ConcurrentHashMap<String, Integer> active = new ConcurrentHashMap<>();

    void add(String module) {
        active.merge(module, 1, Integer::sum);
    }

    void remove(String module) {
        active.computeIfPresent(module, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Why tunnels owned by this module must not run now, or {@code null} when it is active. */
    String reason(String module) {
        return active.containsKey(module) ? null
                : "its module \"" + module + "\" is not active (the bundle is stopped, or none of its components holds the"
                        + " tunnel admin service): the configuration is kept, and the tunnel starts when the module is back";
    }
}
