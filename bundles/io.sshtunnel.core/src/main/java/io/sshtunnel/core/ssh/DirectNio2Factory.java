package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.Factory;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.RuntimeSshException;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Acceptor;
import org.apache.sshd.common.io.nio2.Nio2Connector;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.SshdThreadFactory;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * MINA's NIO2 transport on a fixed-size channel group. MINA's own factory builds its group on a
 * thread pool, for which the JDK waits for socket events on one internal thread and hands every
 * event to the pool: one thread hand-off per message in each direction. In a fixed group the
 * pool's threads wait for events themselves and run the handler at once. Same number of threads,
 * independent of the number of tunnels; handlers never block (MINA's rule for any pool).
 */
final class DirectNio2Factory extends Nio2ServiceFactory {
    /** Installs it on a client or server before it starts. */
    static final IoServiceFactoryFactory FACTORY = new IoServiceFactoryFactory() {
        @Override
        public IoServiceFactory create(FactoryManager manager) {
            return new DirectNio2Factory(manager);
        }

        @Override
        public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
            // the pool is the channel group's own
        }
    };

    private final AsynchronousChannelGroup group;
    private final CloseableExecutorService resuming;

    private DirectNio2Factory(FactoryManager manager) {
        // MINA's group and pool stay idle (one parked JDK thread): all connectors and acceptors use ours
        super(manager, null, null);
        int threads = getNioWorkers(manager);
        try {
            group = AsynchronousChannelGroup.withFixedThreadPool(threads, new SshdThreadFactory(manager + "-io"));
        } catch (IOException e) {
            throw new RuntimeSshException(e);
        }
        resuming = ThreadUtils.newFixedThreadPool(manager + "-io-resume", threads);
    }

    /** The group that carries every connection: for tests that check it is in use. */
    AsynchronousChannelGroup group() {
        return group;
    }

    @Override
    public IoConnector createConnector(IoHandler handler) {
        return autowireCreatedService(new Nio2Connector(this, getFactoryManager(), handler, group, resuming));
    }

    @Override
    public IoAcceptor createAcceptor(IoHandler handler) {
        return autowireCreatedService(new Nio2Acceptor(this, getFactoryManager(), handler, group, resuming));
    }

    @Override
    protected void doCloseImmediately() {
        try {
            resuming.shutdownNow();
            group.shutdownNow();
            group.awaitTermination(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Closing the channel group: {}", e.toString());
        } finally {
            super.doCloseImmediately();
        }
    }
}
