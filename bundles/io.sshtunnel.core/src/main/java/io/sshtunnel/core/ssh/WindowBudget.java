package io.sshtunnel.core.ssh;

/**
 * The receive windows of one SSH connection's forwarding channels, within a memory budget. The
 * window a channel advertises is what the server may send on it before the data has been written
 * to the socket on this machine, so it is also what the channel can hold when that socket's reader
 * is slow: a large window lets one stream fill a long path (a single stream moves at most one
 * window per round trip), and the budget keeps many slow readers from holding more than
 * {@link #BUDGET} together. Each new channel gets what is left of the budget, at most {@link #MAX}
 * and at least {@link #FLOOR}; a closed channel gives its share back.
 */
final class WindowBudget {
    static final long MIB = 1024L * 1024;
    /** The most the forwarding channels of one connection hold (beyond it, {@link #FLOOR} each). */
    static final long BUDGET = 64 * MIB;
    /** One channel's window at most: 16 MiB fill a 30 ms path at over 4 Gbit/s. */
    static final long MAX = 16 * MIB;
    /** One channel's window at least, when the budget is spent: eight 32 KiB packets. */
    static final long FLOOR = 256 * 1024;

    private long committed;

    /** The window for a new channel, counted against the budget until {@link #release}d. */
    synchronized long reserve() {
        long size = Math.max(FLOOR, Math.min(MAX, BUDGET - committed));
        committed += size;
        return size;
    }

    synchronized void release(long size) {
        committed = Math.max(0, committed - size);
    }

    synchronized long committed() {
        return committed;
    }
}
