package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Collections;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.forward.ChannelToPortHandler;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.ExceptionUtils;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * One {@code R} connection: the server opened the channel for a connection to the port it listens
 * on, and this machine connects to the mapping's target. It is confirmed once the target accepted,
 * and then passes bytes both ways within the channel's windows. A half-close of either side
 * crosses ({@code SSH_MSG_CHANNEL_EOF} one way, a shutdown of the socket's output the other), as
 * OpenSSH does. Closing the channel closes its socket and nothing else.
 */
final class ForwardedChannel extends AbstractServerChannel implements HalfClosable {
    private final ForwardedChannelFactory factory;
    private SshdSocketAddress entrance;
    private volatile IoSession target;
    private volatile ChannelToPortHandler port;
    private volatile ChannelAsyncOutputStream out;

    ForwardedChannel(ForwardedChannelFactory factory) {
        super("", Collections.emptyList(), null);
        this.factory = factory;
    }

    /** The address and port the server listens on for this connection's mapping. */
    SshdSocketAddress entrance() {
        return entrance;
    }

    /** The socket to the target, once connected; else null. */
    IoSession target() {
        return target;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String listenHost = buffer.getString();
        int listenPort = buffer.getInt();
        buffer.getString(); // the originator's address: the SSH server's business
        buffer.getInt();
        entrance = new SshdSocketAddress(listenHost, listenPort);
        SshdSocketAddress exit = service.getForwarder().getForwardedPort(listenPort);
        OpenFuture opened = new DefaultOpenFuture(this, futureLock);
        TcpForwardingFilter filter = getSession().getFactoryManager().getTcpForwardingFilter();
        if (exit == null || filter == null || !filter.canConnect(TcpForwardingFilter.Type.Forwarded, exit, getSession())) {
            try {
                opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                        "Connection denied"));
            } finally {
                close(true);
            }
            return opened;
        }
        out = new ChannelAsyncOutputStream(this, SshConstants.SSH_MSG_CHANNEL_DATA) {
            @Override
            protected CloseFuture doCloseGracefully() {
                // what the target sent is written to the server first, then the EOF that says it ended
                DefaultCloseFuture done = new DefaultCloseFuture(getChannelId(), futureLock);
                super.doCloseGracefully().addListener(written -> {
                    try {
                        IoWriteFuture eof = sendEof();
                        if (eof != null) {
                            eof.addListener(e -> done.setClosed());
                            return;
                        }
                    } catch (IOException | RuntimeException e) {
                        getSession().exceptionCaught(e);
                    }
                    done.setClosed();
                });
                return done;
            }
        };
        try {
            IoConnectFuture connect = factory.connector(getSession()).connect(exit.toInetSocketAddress(),
                    AttributeRepository.ofKeyValuePair(ForwardedChannelFactory.CHANNEL, this), null);
            connect.addListener(c -> connected(opened, c));
        } catch (IOException | RuntimeException e) {
            failed(opened, e);
        }
        return opened;
    }

    private void connected(OpenFuture opened, IoConnectFuture connect) {
        if (!connect.isConnected()) {
            Throwable problem = ExceptionUtils.peelException(connect.getException());
            failed(opened, problem == null ? new ConnectException("connection to the target cancelled") : problem);
            return;
        }
        IoSession s = connect.getSession();
        target = s;
        port = new ChannelToPortHandler(s, this);
        String change = s.toString();
        try {
            signalChannelOpenSuccess();
            opened.setOpened();
            if (opened.isCanceled()) {
                close(false).addListener(c -> opened.getCancellation().setCanceled());
            } else {
                s.resumeRead(); // the server has the confirmation: the target's bytes may go
            }
        } catch (RuntimeException e) {
            Throwable t = ExceptionUtils.peelException(e);
            change = t.getClass().getSimpleName();
            signalChannelOpenFailure(t);
            opened.setException(t);
        } finally {
            notifyStateChanged(change);
        }
    }

    private void failed(OpenFuture opened, Throwable problem) {
        signalChannelOpenFailure(problem);
        notifyStateChanged(problem.getClass().getSimpleName());
        try {
            opened.setException(problem instanceof ConnectException ? new SshChannelOpenException(getChannelId(),
                    SshConstants.SSH_OPEN_CONNECT_FAILED, problem.getMessage(), problem) : problem);
        } finally {
            close(true);
        }
    }

    /** Bytes the target sent: to the server, reading no more from the target until they are written. */
    void fromTarget(IoSession s, Readable message) throws IOException {
        ChannelAsyncOutputStream o = out;
        if (isClosing() || o == null) {
            return;
        }
        Buffer buffer = new ByteArrayBuffer(message.available(), false);
        buffer.putBuffer(message);
        s.suspendRead();
        o.writeBuffer(buffer).addListener(written -> {
            s.resumeRead();
            if (written.getException() != null) {
                close(true);
            }
        });
    }

    /** The target ended its sending side: the server gets EOF after all it sent, and the other direction stays open. */
    @Override
    public boolean halfClose() {
        try {
            return sendEof() != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        ChannelAsyncOutputStream o = out;
        if (o != null) {
            o.onWindowExpanded();
        }
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        ChannelToPortHandler p = port;
        if (p != null) {
            p.handleEof(); // the server's side ended: shut the target's socket for writing, keep reading
        }
    }

    @Override
    protected boolean mayWrite() {
        return !isClosed(); // while closing, what is pending still goes out
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        port.sendToPort(SshConstants.SSH_MSG_CHANNEL_DATA, data, off, len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new UnsupportedOperationException("a forwarded-tcpip channel carries no extended data");
    }

    @Override
    protected Closeable getInnerCloseable() {
        IoSession s = target;
        return builder().close(out).close(super.getInnerCloseable()).close(s).build();
    }
}
