package io.sshtunnel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A connected tunnel. Registered as a service while the tunnel is {@link TunnelState#UP} or
 * {@link TunnelState#DEGRADED} and unregistered when it goes down, with the service properties
 * {@link TunnelConstants#TUNNEL_ID}, {@link TunnelConstants#TUNNEL_NAME},
 * {@link TunnelConstants#TUNNEL_OWNER}, {@link TunnelConstants#TUNNEL_STATE} and
 * {@link TunnelConstants#SSH_SERVER}.
 */
@ProviderType
public interface Tunnel {
    /** The configuration's PID. */
    String id();

    /** The tunnel's unique name. */
    String name();

    /** The current status (a fresh snapshot on every call). */
    TunnelStatus status();
}
