package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;

import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2DefaultIoWriteFuture;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.forward.TcpipClientChannel;
import org.apache.sshd.common.util.Readable;

/**
 * A forwarded TCP connection (the socket on this machine of an {@code L} or {@code R} mapping),
 * counting the bytes of each completed read and write cycle into its mapping's counter. MINA keeps
 * one read and one write in flight per session, so this adds one call per cycle and nothing else.
 * ({@code handleReadCycleCompletion} and {@code handleCompletedWriteCycle} are MINA's protected
 * methods: check them when MINA SSHD is upgraded.)
 */
final class CountingSession extends Nio2Session {
    /** Whether reading from this socket sends towards the target ({@code L}: the socket is the client's). */
    private final boolean readsGoToTarget;
    private volatile ForwardCounter counter;
    /** The channel of an {@code R} connection (set when it opens); an {@code L} one is MINA's attribute. */
    private volatile HalfClosable channel;
    /** Guards the two fields below; not the session's own monitor, which MINA uses itself. */
    private final Object countLock = new Object();
    /** Whether the socket closed (before or after its counter was attached). */
    private boolean socketClosed;

    CountingSession(Nio2Service service, PropertyResolver resolver, IoHandler handler, AsynchronousSocketChannel socket,
            SocketAddress acceptance, boolean readsGoToTarget, ForwardCounter initial) throws IOException {
        super(service, resolver, handler, socket, acceptance);
        this.readsGoToTarget = readsGoToTarget;
        addCloseFutureListener(f -> {
            synchronized (countLock) {
                socketClosed = true;
                ForwardCounter c = counter; // attached now or later (R: when its channel opens)
                if (c != null) {
                    c.closed();
                }
            }
        });
        if (initial != null) {
            attach(initial);
        }
    }

    /** Counts this connection into the mapping's counter (once). */
    void attach(ForwardCounter c) {
        synchronized (countLock) {
            if (counter == null && c != null) {
                counter = c;
                c.opened();
                if (socketClosed) {
                    c.closed(); // closed before its channel opened: counted, and not left open
                }
            }
        }
    }

    /** Sets the channel of an {@code R} connection, which passes on a half-close of the target. */
    void channel(HalfClosable channel) {
        this.channel = channel;
    }

    /**
     * The peer on this machine shut down its sending side ({@code shutdownOutput}, {@code nc -N}):
     * tells the server so with {@code SSH_MSG_CHANNEL_EOF} and keeps the socket open for the answer,
     * as OpenSSH does; the connection closes when the channel does. MINA would close it whole.
     * Returns false where that cannot be done, and the socket then closes as before.
     */
    private boolean halfClose() {
        try {
            Object l = getAttribute(TcpipClientChannel.class); // an L connection: set by MINA's forwarder
            if (l instanceof TcpipClientChannel) {
                TcpipClientChannel ch = (TcpipClientChannel) l;
                if (!ch.isOpen() || ch.getAsyncIn() == null) {
                    return false;
                }
                ch.getAsyncIn().close(false); // graceful: the data written so far, then SSH_MSG_CHANNEL_EOF
                return true;
            }
            HalfClosable r = channel;
            return r != null && r.halfClose();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    protected void handleReadCycleCompletion(ByteBuffer buffer, Readable bufReader, Nio2CompletionHandler<Integer, Object> completion,
            Integer result, Object attachment) {
        if (result != null && result < 0 && halfClose()) {
            return; // no further read cycle: the socket stays open for writing until the channel closes
        }
        ForwardCounter c = counter;
        if (c != null && result != null && result > 0) {
            if (readsGoToTarget) {
                c.toTarget(result);
            } else {
                c.fromTarget(result);
            }
        }
        super.handleReadCycleCompletion(buffer, bufReader, completion, result, attachment);
    }

    @Override
    protected void handleCompletedWriteCycle(Nio2DefaultIoWriteFuture future, AsynchronousSocketChannel socket, ByteBuffer buffer,
            int writeLen, Nio2CompletionHandler<Integer, Object> completion, Integer result, Object attachment) {
        ForwardCounter c = counter;
        if (c != null && result != null && result > 0) {
            if (readsGoToTarget) {
                c.fromTarget(result);
            } else {
                c.toTarget(result);
            }
        }
        super.handleCompletedWriteCycle(future, socket, buffer, writeLen, completion, result, attachment);
    }
}
