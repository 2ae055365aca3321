package io.sshtunnel.core.ssh;

/**
 * The receive windows of one SSH connection's forwarding channels, within a memory budget. The
 * window a channel advertises is what the server may send on it before the data has been written
 * to the socket on this machine, so it is also what the channel can hold when that socket's reader
 * is slow. Each new channel gets what is left of the budget, at most {@link #MAX} and at least
 * {@link #FLOOR}; a closed channel gives its share back. So many slow readers hold at most
 * {@link #BUDGET}, plus the floor for each channel beyond it, where MINA alone lets each hold its
 * whole window.
 * <p>
 * {@link #MAX} is MINA's and OpenSSH's 2 MiB. A larger fixed window (16 MiB) made single streams
 * from the server 5x faster across 30-80 ms, but 2.6x slower on loopback, where MINA then queues
 * that much towards the local socket: a window that grows only where the round trip needs it is
 * the way to have both.
 */
final class WindowBudget {
    static final long MIB = 1024L * 1024;
    /** The most the forwarding channels of one connection hold (beyond it, {@link #FLOOR} each). */
    static final long BUDGET = 64 * MIB;
    /** One channel's window at most: MINA's and OpenSSH's default. */
    static final long MAX = 2 * MIB;
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
