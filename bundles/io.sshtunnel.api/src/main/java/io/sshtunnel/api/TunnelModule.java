package io.sshtunnel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Says that a module is active: the ownership bundle registers one, with the service property
 * {@value TunnelConstants#MODULE_NAME}, while the module (a bundle) holds the {@link TunnelAdmin}
 * service. The engine runs a tunnel whose {@code owner} is set only while a {@code TunnelModule}
 * of that name is registered; otherwise the tunnel is {@link TunnelState#DISABLED} with that
 * reason and its configuration is kept.
 */
@ProviderType
public interface TunnelModule {
    /** The module's bundle symbolic name, as in the tunnels' {@code owner}. */
    String name();
}
