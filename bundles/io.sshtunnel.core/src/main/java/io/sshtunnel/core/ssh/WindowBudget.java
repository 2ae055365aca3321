package io.sshtunnel.core.ssh;

/**
 * The receive windows of one SSH connection's forwarding channels, sized to the connection's round
 * trip and bounded by a memory budget.
 * <p>
 * The window a channel advertises is what the server may send on it before the data has been
 * written to the socket on this machine. It caps one stream at {@code window / round trip}: MINA's
 * and OpenSSH's 2 MiB give 0.55 Gbit/s at 30 ms. So each new channel gets the path's
 * bandwidth-delay product at {@link #RATE}, from the shortest round trip seen on the connection,
 * at least {@link #MIN} and at most {@link #MAX}. A short path keeps 2 MiB: a larger window there
 * only lets MINA queue more towards the local socket, and measured 2.6x slower on loopback.
 * <p>
 * The window is also what the channel can hold when the reader on this machine is slow. So the
 * channels of one connection together reserve at most {@link #BUDGET}; once it is spent a new
 * channel gets {@link #FLOOR}, and a closed channel gives its share back. Many slow readers hold at
 * most the budget plus the floor for each channel beyond it, where MINA alone lets each hold its
 * whole window.
 */
final class WindowBudget {
    static final long MIB = 1024L * 1024;
    /** The most the forwarding channels of one connection hold (beyond it, {@link #FLOOR} each). */
    static final long BUDGET = 64 * MIB;
    /** One channel's window on a short path: MINA's and OpenSSH's default. */
    static final long MIN = 2 * MIB;
    /** One channel's window at most, on the longest paths: 1.7 Gbit/s at 80 ms. */
    static final long MAX = 16 * MIB;
    /** One channel's window at least, when the budget is spent: eight 32 KiB packets. */
    static final long FLOOR = 256 * 1024;
    /** The rate one stream should reach where the path is what limits it: 512 MiB/s, 4.3 Gbit/s. */
    static final long RATE = 512 * MIB;

    private long committed;
    /** The shortest round trip measured on the connection, in nanoseconds; 0 until one is. */
    private long roundTrip;

    /** The window for a new channel, counted against the budget until {@link #release}d. */
    synchronized long reserve() {
        long wanted = Math.max(MIN, Math.min(MAX, roundTrip * RATE / 1_000_000_000L));
        long size = Math.max(FLOOR, Math.min(wanted, BUDGET - committed));
        committed += size;
        return size;
    }

    synchronized void release(long size) {
        committed = Math.max(0, committed - size);
    }

    /** Records one round trip on the connection (a keepalive probe and its reply). */
    synchronized void roundTrip(long nanos) {
        if (nanos > 0 && (roundTrip == 0 || nanos < roundTrip)) {
            roundTrip = nanos;
        }
    }

    synchronized long committed() {
        return committed;
    }
}
