package io.sshtunnel.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's view of every configured tunnel, whatever its state: what the console, the
 * shell and the health check show. Registered once by the engine.
 */
@ProviderType
public interface TunnelRuntime {
    /** A snapshot of every configured tunnel, sorted by name. */
    List<TunnelStatus> tunnels();

    /** A snapshot of the tunnel with this name. */
    Optional<TunnelStatus> tunnel(String name);
}
