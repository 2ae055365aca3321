package io.sshtunnel.core.ssh;

/**
 * Where one mapping's traffic is counted. Called on MINA's I/O threads, once per read or write
 * cycle: implementations must not lock or allocate.
 */
public interface ForwardCounter {
    /** A connection through the mapping is open (accepted on an {@code L} listener, or connected to an {@code R} target). */
    void opened();

    /** A connection that {@link #opened()} closed. */
    void closed();

    /** A connection could not reach its target: the server refused the channel ({@code L}) or the target refused ({@code R}). */
    void failed();

    void toTarget(long bytes);

    void fromTarget(long bytes);
}
