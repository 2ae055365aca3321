package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;

/** One authenticated SSH connection: opens forwards, answers keepalive probes, reports its end. */
public final class SshLink implements AutoCloseable {
    /** The global request OpenSSH's own client uses for {@code ServerAliveInterval}. */
    static final String KEEPALIVE_REQUEST = "keepalive@openssh.com";

    private final ClientSession session;
    private final Attempt attempt;
    private final Counting counting;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    SshLink(ClientSession session, Attempt attempt, Counting counting) {
        this.session = session;
        this.attempt = attempt;
        this.counting = counting;
        session.addSessionListener(new SessionListener() {
            @Override
            public void sessionException(Session s, Throwable t) {
                lastError.compareAndSet(null, t.getClass().getSimpleName() + ": " + t.getMessage());
            }

            @Override
            public void sessionDisconnect(Session s, int reason, String msg, String language, boolean initiator) {
                lastError.compareAndSet(null, (initiator ? "disconnected: " : "server disconnected: ") + msg);
            }
        });
        measureRoundTrip(3);
    }

    /**
     * Sends {@code count} probes one after the other, as soon as the connection is up: round
     * trips for the windows of its channels, before the forwards open. The first reply can be
     * late while this JVM loads and compiles the code that handles it; the shortest one counts.
     */
    private void measureRoundTrip(int count) {
        if (count > 0) {
            probe(() -> measureRoundTrip(count - 1));
        }
    }

    /** The SHA256 fingerprint of the host key the server presented. */
    public String serverFingerprint() {
        return attempt.presentedFingerprint;
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /**
     * Calls {@code listener} once, on a MINA thread, when the connection ends for any reason,
     * with a short description of why.
     */
    public void onClose(Consumer<String> listener) {
        session.addCloseFutureListener(f -> {
            String why = lastError.get();
            listener.accept(why == null ? "connection closed" : why);
        });
    }

    /**
     * Bytes received from the server on this connection so far, whatever they carried; -1 where
     * the connection does not count them. A count that moves proves the server alive.
     */
    public long receivedBytes() {
        org.apache.sshd.common.io.IoSession io = session.getIoSession();
        return io instanceof TransportSession ? ((TransportSession) io).received() : -1;
    }

    /**
     * Sends one keepalive probe that wants a reply; {@code onReply} runs when any reply (success,
     * failure or "unimplemented") comes back. Returns false if the probe could not be sent. The
     * time to the reply is a round trip of the connection, which sizes the windows of its channels.
     */
    public boolean probe(Runnable onReply) {
        try {
            Buffer buf = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, KEEPALIVE_REQUEST.length() + Byte.SIZE);
            buf.putString(KEEPALIVE_REQUEST);
            buf.putBoolean(true);
            WindowBudget windows = Counting.windows(session);
            long sent = System.nanoTime();
            session.request(buf, KEEPALIVE_REQUEST, (cmd, reply) -> {
                windows.roundTrip(System.nanoTime() - sent);
                onReply.run();
            });
            return true;
        } catch (IOException | RuntimeException e) {
            lastError.compareAndSet(null, "keepalive could not be sent: " + e.getMessage());
            return false;
        }
    }

    /**
     * Opens one forward. For {@code L}, binds the listener on this machine; for {@code R}, asks the
     * server to listen and waits for its answer.
     *
     * @throws IOException with the server's or the operating system's reason
     */
    public ForwardHandle forward(PortMapping m) throws IOException {
        return forward(m, null);
    }

    /** {@link #forward(PortMapping)}, counting the mapping's connections and bytes into {@code counter} (may be null). */
    public ForwardHandle forward(PortMapping m, ForwardCounter counter) throws IOException {
        switch (m.kind()) {
            case L:
                return forwardLocal(m, counter);
            case D:
                return forwardDynamic(m, counter);
            default:
                return forwardRemote(m, counter);
        }
    }

    /**
     * A {@code D} mapping: a SOCKS server on this machine whose connections open {@code direct-tcpip}
     * channels to what each client asks for. Its sockets come from the client's I/O factory, so its
     * connections and bytes are counted as an {@code L} mapping's.
     */
    private ForwardHandle forwardDynamic(PortMapping m, ForwardCounter counter) throws IOException {
        ConnectionService service = session.getService(ConnectionService.class);
        if (service == null) {
            throw new IOException("the SSH connection has no connection service (closing?)");
        }
        org.apache.sshd.common.io.IoAcceptor acceptor = session.getFactoryManager().getIoServiceFactory()
                .createAcceptor(new SocksServer(service, m.format()));
        InetSocketAddress local = new InetSocketAddress(m.effectiveBindHost(), m.bindPort());
        counting.countLocal(m.effectiveBindHost(), m.bindPort(), counter); // before the bind: a connection may follow at once
        try {
            acceptor.bind(local);
        } catch (IOException | RuntimeException e) {
            counting.uncountLocal(m.effectiveBindHost(), m.bindPort(), counter);
            acceptor.close(true);
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
        InetSocketAddress bound = acceptor.getBoundAddresses().stream().filter(InetSocketAddress.class::isInstance)
                .map(InetSocketAddress.class::cast).findFirst().orElse(local);
        String host = m.isGateway() && PortMapping.WILDCARD.equals(m.bindHost()) ? "127.0.0.1" : bound.getHostString();
        InetSocketAddress at = new InetSocketAddress(host, bound.getPort());
        // the SSH connection's end ends the SOCKS server too (its channels are gone with it)
        SessionListener closer = new SessionListener() {
            @Override
            public void sessionClosed(Session s) {
                acceptor.close(true);
            }
        };
        session.addSessionListener(closer);
        return new Handle(at, () -> {
            counting.uncountLocal(m.effectiveBindHost(), m.bindPort(), counter);
            session.removeSessionListener(closer);
            acceptor.close(true); // the listener and its clients' sockets; their channels close with them
        });
    }

    private ForwardHandle forwardLocal(PortMapping m, ForwardCounter counter) throws IOException {
        SshdSocketAddress local = new SshdSocketAddress(m.effectiveBindHost(), m.bindPort());
        SshdSocketAddress remote = new SshdSocketAddress(m.targetHost(), m.targetPort());
        attempt.allowBind(local);
        counting.countLocal(m.effectiveBindHost(), m.bindPort(), counter); // before the bind: a connection may follow at once
        try {
            SshdSocketAddress bound = startLocal(local, remote);
            // where a consumer on this machine connects: the bound address, loopback for a wildcard bind
            String host = m.isGateway() && PortMapping.WILDCARD.equals(m.bindHost()) ? "127.0.0.1" : bound.getHostName();
            InetSocketAddress at = new InetSocketAddress(host, bound.getPort());
            return new Handle(at, () -> {
                counting.uncountLocal(m.effectiveBindHost(), m.bindPort(), counter);
                stopLocal(local, bound);
            });
        } catch (IOException e) {
            counting.uncountLocal(m.effectiveBindHost(), m.bindPort(), counter);
            throw e;
        }
    }

    /** MINA's local forwarding, allowed by the filter for this bind only; on failure the permission goes again. */
    private SshdSocketAddress startLocal(SshdSocketAddress local, SshdSocketAddress remote) throws IOException {
        try {
            return SshTransport.withSshdLoader(() -> {
                try {
                    return session.startLocalPortForwarding(local, remote);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            attempt.revokeBind(local);
            throw e.getCause();
        } catch (RuntimeException e) {
            attempt.revokeBind(local);
            throw new IOException(e.getMessage(), e);
        }
    }

    private void stopLocal(SshdSocketAddress local, SshdSocketAddress bound) {
        attempt.revokeBind(local);
        try {
            session.stopLocalPortForwarding(bound);
        } catch (IOException | RuntimeException e) {
            // the session may be closing; its listeners go with it
        }
    }

    private ForwardHandle forwardRemote(PortMapping m, ForwardCounter counter) throws IOException {
        String bind = PortMapping.WILDCARD.equals(m.effectiveBindHost()) ? "" : m.effectiveBindHost();
        SshdSocketAddress remote = new SshdSocketAddress(bind, m.bindPort());
        SshdSocketAddress local = new SshdSocketAddress(m.targetHost(), m.targetPort());
        attempt.allowTarget(local);
        attempt.countRemote(m.bindPort(), counter); // before the answer: a connection may follow at once
        try {
            SshdSocketAddress bound = session.startRemotePortForwarding(remote, local);
            attempt.countRemote(bound.getPort(), counter);
            // on the SSH server: not resolvable here, so left unresolved
            InetSocketAddress at = InetSocketAddress.createUnresolved(m.effectiveBindHost(), bound.getPort());
            return new Handle(at, () -> {
                attempt.revokeTarget(local);
                attempt.uncountRemote(bound.getPort(), counter);
                try {
                    session.stopRemotePortForwarding(remote);
                } catch (IOException | RuntimeException e) {
                    // the session may be closing; the server drops its listeners with it
                }
            });
        } catch (IOException | RuntimeException e) {
            attempt.revokeTarget(local);
            attempt.uncountRemote(m.bindPort(), counter);
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /**
     * A way through this connection to {@code host:port}, for another SSH connection that passes
     * through this one (its {@code via}), as OpenSSH's {@code ProxyJump}: a port on the loopback
     * interface that this connection forwards there. Closing the returned handle closes the port.
     */
    public ForwardHandle jumpTo(String host, int port) throws IOException {
        SshdSocketAddress local = new SshdSocketAddress("127.0.0.1", 0);
        SshdSocketAddress remote = new SshdSocketAddress(host, port);
        attempt.allowBind(local);
        SshdSocketAddress bound = startLocal(local, remote);
        return new Handle(new InetSocketAddress("127.0.0.1", bound.getPort()), () -> stopLocal(local, bound));
    }

    /** Whether the SSH server of this connection opens a connection to {@code host:port}: null when it does, else its answer. */
    String reaches(String host, int port, java.time.Duration timeout) {
        org.apache.sshd.client.channel.ChannelDirectTcpip channel = null;
        try {
            channel = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            return channel.open().verify(timeout).isOpened() ? null : NO_ANSWER;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        } finally {
            if (channel != null) {
                channel.close(true);
            }
        }
    }

    /**
     * Whether the mapping's target answers now, without sending it data: for {@code L} a
     * forwarding channel to it is opened through this connection (the SSH server connects to it)
     * and closed at once; for {@code R} this machine connects to it. Blocking, at most {@code timeout}.
     *
     * @return null when it answered, else why not
     */
    public String probeTarget(PortMapping m, java.time.Duration timeout) {
        if (m.kind() == MappingKind.D) {
            return null; // its clients name their targets: there is none of its own to probe
        }
        String target = (m.targetHost().indexOf(':') >= 0 ? "[" + m.targetHost() + "]" : m.targetHost()) + ":" + m.targetPort();
        if (m.kind() == MappingKind.R) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(m.targetHost(), m.targetPort()), (int) Math.max(1, timeout.toMillis()));
                return null;
            } catch (IOException e) {
                return "target " + target + " does not answer on this machine (" + e.getMessage() + ")";
            }
        }
        String why = reaches(m.targetHost(), m.targetPort(), timeout);
        return why == null ? null
                : "target " + target + " does not answer the SSH server" + (NO_ANSWER.equals(why) ? "" : " (" + why + ")");
    }

    private static final String NO_ANSWER = "no answer";

    /** Closes the connection at once; every forward goes with it. */
    @Override
    public void close() {
        lastError.compareAndSet(null, "closed by the tunnel");
        session.close(true);
    }

    private static final class Handle implements ForwardHandle {
        private final InetSocketAddress bound;
        private Runnable closer;

        Handle(InetSocketAddress bound, Runnable closer) {
            this.bound = bound;
            this.closer = closer;
        }

        @Override
        public InetSocketAddress boundAddress() {
            return bound;
        }

        @Override
        public synchronized void close() {
            if (closer != null) {
                Runnable c = closer;
                closer = null;
                c.run();
            }
        }
    }
}
