package io.sshtunnel.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a module allows in the tunnels it owns. A module registers one as a service; the validator
 * applies it to every tunnel whose {@code owner} is {@link #module()}, and reports each violation
 * as an {@link Severity#ERROR} naming the module. The defaults allow everything.
 *
 * <p>A module with fixed rules may instead declare them in its manifest
 * ({@code Provide-Capability: io.sshtunnel.policy;kinds:List<String>="R";ports:List<String>="9100-9199"};
 * attributes {@code kinds}, {@code gateway}, {@code ports}, {@code templates}): the ownership bundle
 * registers this service for it while the bundle is resolved. See the modules documentation.
 */
@ConsumerType
public interface TunnelPolicy {
    /** The bundle symbolic name of the module whose tunnels this policy governs. */
    String module();

    /** The mapping kinds the module's tunnels may use. */
    default Set<MappingKind> allowedKinds() {
        return Set.of(MappingKind.L, MappingKind.R);
    }

    /** Whether the module's tunnels may have gateway mappings (reachable by other hosts). */
    default boolean gatewayAllowed() {
        return true;
    }

    /** The ports the module's mappings may bind (local for {@code L}, remote for {@code R}); empty allows any. */
    default List<PortRange> allowedBindPorts() {
        return List.of();
    }

    /**
     * The service templates the module's mappings may come from ({@code service=ID}); empty allows
     * any, and mappings written by hand (without a service id) are always allowed by this rule.
     */
    default Set<String> allowedTemplates() {
        return Set.of();
    }
}
