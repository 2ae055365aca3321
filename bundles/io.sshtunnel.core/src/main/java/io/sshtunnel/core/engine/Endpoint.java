package io.sshtunnel.core.engine;

import java.net.InetSocketAddress;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelEndpoint;

/** The service object of one working mapping. */
final class Endpoint implements TunnelEndpoint {
    private final String tunnelId;
    private final String tunnelName;
    private final String owner;
    private volatile PortMapping mapping;
    private final InetSocketAddress address;

    Endpoint(String tunnelId, String tunnelName, String owner, PortMapping mapping, InetSocketAddress address) {
        this.tunnelId = tunnelId;
        this.tunnelName = tunnelName;
        this.owner = owner;
        this.mapping = mapping;
        this.address = address;
    }

    @Override
    public String tunnelId() {
        return tunnelId;
    }

    @Override
    public String tunnelName() {
        return tunnelName;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public PortMapping mapping() {
        return mapping;
    }

    /** The same mapping with a changed label: the forward and the service stay. */
    void relabel(PortMapping relabelled) {
        mapping = relabelled;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return tunnelName + ": " + mapping.format() + " at " + address;
    }
}
