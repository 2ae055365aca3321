package io.sshtunnel.api;

/** The traffic of one mapping since its tunnel was started. Immutable. */
public final class MappingCounters {
    /** No traffic yet. */
    public static final MappingCounters NONE = new MappingCounters(0, 0, 0, 0, 0);

    private final long bytesToTarget;
    private final long bytesFromTarget;
    private final long connections;
    private final long open;
    private final long failed;

    public MappingCounters(long bytesToTarget, long bytesFromTarget, long connections, long open, long failed) {
        this.bytesToTarget = bytesToTarget;
        this.bytesFromTarget = bytesFromTarget;
        this.connections = connections;
        this.open = open;
        this.failed = failed;
    }

    /** Bytes the connecting side sent towards the target. */
    public long bytesToTarget() { return bytesToTarget; }
    /** Bytes the target sent back. */
    public long bytesFromTarget() { return bytesFromTarget; }
    /** Connections accepted on the mapping's listener, in total. */
    public long connections() { return connections; }
    /** Connections open now. */
    public long openConnections() { return open; }
    /** Connections that could not reach the target (refused by the server or by the target). */
    public long failedConnections() { return failed; }

    @Override
    public String toString() {
        return connections + " connections (" + open + " open, " + failed + " failed), " + bytesToTarget + " B to and "
                + bytesFromTarget + " B from the target";
    }
}
