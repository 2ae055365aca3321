package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.atomic.LongAdder;

import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;

/**
 * The TCP connection to the SSH server, counting the bytes received from it: anything the server
 * sends (data, window adjustments, replies) proves it alive, so the keepalive need not wait for the
 * reply to its own probe, which a busy link may queue behind many seconds of data. One addition per
 * completed read cycle. ({@code handleReadCycleCompletion} is MINA's protected method: check it
 * when MINA SSHD is upgraded, as for {@link CountingSession}.)
 */
final class TransportSession extends Nio2Session {
    private final LongAdder received = new LongAdder();

    TransportSession(Nio2Service service, PropertyResolver resolver, IoHandler handler, AsynchronousSocketChannel socket,
            SocketAddress acceptance) throws IOException {
        super(service, resolver, handler, socket, acceptance);
    }

    /** Bytes received from the server so far. */
    long received() {
        return received.sum();
    }

    @Override
    protected void handleReadCycleCompletion(ByteBuffer buffer, Readable bufReader, Nio2CompletionHandler<Integer, Object> completion,
            Integer result, Object attachment) {
        if (result != null && result > 0) {
            received.add(result);
        }
        super.handleReadCycleCompletion(buffer, bufReader, completion, result, attachment);
    }
}
