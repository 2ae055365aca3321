package io.sshtunnel.api;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One working port mapping. Registered as a service when the mapping becomes active and
 * unregistered the moment it fails or its tunnel goes down, so that
 * {@code @Reference(target = "(mapping.service=ldap)") TunnelEndpoint ldap} makes a component
 * active exactly while the directory is reachable. Service properties: see
 * {@link TunnelConstants} ({@code tunnel.id}, {@code tunnel.name}, {@code mapping.*}).
 */
@ProviderType
public interface TunnelEndpoint {
    /** The configuration's PID of the tunnel this mapping belongs to. */
    String tunnelId();

    /** The name of the tunnel this mapping belongs to. */
    String tunnelName();

    /**
     * The symbolic name of the module that owns the tunnel (the {@code tunnel.owner} service
     * property), or null for the administrator's.
     *
     * @since 1.4
     */
    String owner();

    /** The mapping as configured. */
    PortMapping mapping();

    /**
     * Where the listener is bound: for an {@code L} mapping, the address on this machine to
     * connect to (e.g. {@code 127.0.0.1:1389}); for an {@code R} mapping, the address on the SSH
     * server, with the port the server reports.
     */
    InetSocketAddress address();
}
