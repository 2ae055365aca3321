package io.sshtunnel.core.ssh;

import java.net.InetSocketAddress;

/** One open forward on a live session. Closing it is idempotent and never throws. */
public interface ForwardHandle extends AutoCloseable {
    /** Where the listener is bound (on this machine for L, on the server for R). */
    InetSocketAddress boundAddress();

    @Override
    void close();
}
