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

    /** A snapshot of the tunnel with this name (names are unique: a second one with a taken name is refused). */
    Optional<TunnelStatus> tunnel(String name);

    /**
     * What the engine would say about these configuration properties if they were saved under
     * {@code pid} (a new one, or an existing tunnel's): the values it cannot read, then every
     * validator's findings against the other tunnels. Saves and starts nothing. With no validator
     * running, a {@link FindingCodes#VALIDATION_UNAVAILABLE} error says so.
     */
    List<Finding> check(String pid, java.util.Map<String, ?> properties, java.util.Locale locale);
}
