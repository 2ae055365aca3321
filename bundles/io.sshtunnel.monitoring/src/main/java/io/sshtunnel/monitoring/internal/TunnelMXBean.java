package io.sshtunnel.monitoring.internal;

/** One tunnel over JMX ({@code io.sshtunnel:type=Tunnel,name=NAME}): its state and its counters, read when asked. */
public interface TunnelMXBean {
    String getName();
    String getOwner();
    String getServer();
    String getState();
    String getReason();
    String getSince();
    int getMappingsActive();
    int getMappingsTotal();
    long getConnects();
    long getDisconnects();
    /** -1 before a keepalive was answered. */
    long getKeepaliveRoundTripMicros();
    long getBytesToTarget();
    long getBytesFromTarget();
    long getConnections();
    long getOpenConnections();
    long getFailedConnections();
}
