package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.StreamingChannel.Streaming;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.forward.TcpipClientChannel;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOCKS server of a {@code D} mapping, as {@code ssh -D}: SOCKS 4, 4a and 5, the CONNECT
 * command only, no authentication. Each accepted connection names its target in its request; a
 * {@code direct-tcpip} channel to it is opened through the SSH connection, and once the server has
 * answered the client gets the SOCKS answer: success, or the code that says why not (the SSH
 * server refused to connect: 5 "connection refused"; forbade it: 2 "not allowed by ruleset"; ...).
 * Requests are read however the client's bytes arrive (a request split over several packets is
 * put together); a client that speaks something else, asks for another command or insists on a
 * password gets the SOCKS refusal and is closed. Nothing of one client affects another or the
 * mapping: it keeps listening.
 */
final class SocksServer implements IoHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SocksServer.class);
    /** The longest request taken: a SOCKS 4a request with a user id and a host name of 255 each, and room to spare. */
    static final int MAX_REQUEST = 1024;

    private final ConnectionService service;
    private final String mapping;
    private final Map<IoSession, Client> clients = new ConcurrentHashMap<>();

    SocksServer(ConnectionService service, String mapping) {
        this.service = service;
        this.mapping = mapping;
    }

    @Override
    public void sessionCreated(IoSession session) {
        clients.put(session, new Client(session));
    }

    @Override
    public void sessionClosed(IoSession session) {
        Client c = clients.remove(session);
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        LOG.debug("SOCKS mapping {}: connection from {} failed", mapping, session.getRemoteAddress(), cause);
        session.close(true);
    }

    @Override
    public void messageReceived(IoSession session, Readable message) throws Exception {
        Client c = clients.get(session);
        if (c == null) {
            session.close(true);
            return;
        }
        byte[] bytes = new byte[message.available()];
        message.getRawBytes(bytes, 0, bytes.length);
        c.received(bytes);
    }

    /** What the SSH server's refusal to open a channel means as a SOCKS 5 reply code. */
    static int socks5Code(Throwable t) {
        if (t instanceof SshChannelOpenException) {
            SshChannelOpenException e = (SshChannelOpenException) t;
            switch (e.getReasonCode()) {
                case SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED:
                    return 0x02; // connection not allowed by ruleset (AllowTcpForwarding, PermitOpen)
                case SshConstants.SSH_OPEN_UNKNOWN_CHANNEL_TYPE:
                    return 0x07; // command not supported
                case SshConstants.SSH_OPEN_CONNECT_FAILED:
                    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
                    if (m.contains("unreachable") || m.contains("no route")) {
                        return 0x04; // host unreachable
                    }
                    if (m.contains("not known") || m.contains("resolve") || m.contains("nodename")) {
                        return 0x04;
                    }
                    if (m.contains("timed out")) {
                        return 0x06; // TTL expired: the nearest there is to a time-out
                    }
                    return 0x05; // connection refused: what OpenSSH answers for a port nobody listens on
                default:
                    return 0x01;
            }
        }
        return 0x01; // general failure
    }

    /** One client of the SOCKS port: its request, put together from what arrives, then its channel. */
    /**
     * MINA closes a channel that failed to open at once, and with it the client's socket, right after
     * it tells the open's listeners: the SOCKS answer must be written before that, here.
     */
    private static final class SocksChannel extends TcpipClientChannel {
        private final java.util.function.Consumer<SshChannelOpenException> beforeClose;

        SocksChannel(IoSession client, SshdSocketAddress target, java.util.function.Consumer<SshChannelOpenException> beforeClose) {
            super(TcpipClientChannel.Type.Direct, client, target);
            this.beforeClose = beforeClose;
        }

        @Override
        public void handleOpenFailure(org.apache.sshd.common.util.buffer.Buffer buffer) {
            int at = buffer.rpos();
            int reason = buffer.getInt();
            String message = buffer.getString();
            buffer.rpos(at);
            try {
                beforeClose.accept(new SshChannelOpenException(getChannelId(), reason, message));
            } finally {
                super.handleOpenFailure(buffer);
            }
        }
    }

    private final class Client {
        private final IoSession session;
        private ByteArrayBuffer pending = new ByteArrayBuffer(64, false);
        private boolean greeted;
        private int version;
        private TcpipClientChannel channel;
        private boolean open;

        Client(IoSession session) {
            this.session = session;
        }

        synchronized void received(byte[] bytes) throws IOException {
            if (open) {
                forward(bytes, 0, bytes.length);
                return;
            }
            if (channel != null) {
                // data before the answer (a client that does not wait): held and sent once the channel is open
                pending.putRawBytes(bytes);
                return;
            }
            pending.putRawBytes(bytes);
            if (pending.available() > MAX_REQUEST) {
                refuse("a request longer than " + MAX_REQUEST + " bytes");
                return;
            }
            parse();
        }

        /** Reads as far as the bytes go; waits for more when a request is not complete yet. */
        private void parse() throws IOException {
            byte[] b = new byte[pending.available()];
            System.arraycopy(pending.array(), pending.rpos(), b, 0, b.length);
            if (b.length == 0) {
                return;
            }
            if (version == 0) {
                version = b[0] & 0xff;
                if (version != 4 && version != 5) {
                    refuse("a client that speaks no SOCKS (first byte " + version + ")");
                    return;
                }
            }
            if (version == 4) {
                socks4(b);
            } else if (!greeted) {
                greeting5(b);
            } else {
                request5(b);
            }
        }

        private void socks4(byte[] b) throws IOException {
            // VN CD DSTPORT(2) DSTIP(4) USERID NUL [HOST NUL for 4a]
            if (b.length < 9) {
                return;
            }
            int userEnd = indexOfNul(b, 8);
            if (userEnd < 0) {
                return;
            }
            int port = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            boolean socks4a = (b[4] & 0xff) == 0 && (b[5] & 0xff) == 0 && (b[6] & 0xff) == 0 && (b[7] & 0xff) != 0;
            String host;
            int end = userEnd + 1;
            if (socks4a) {
                int hostEnd = indexOfNul(b, end);
                if (hostEnd < 0) {
                    return;
                }
                host = new String(b, end, hostEnd - end, StandardCharsets.US_ASCII);
                end = hostEnd + 1;
            } else {
                host = (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff);
            }
            if ((b[1] & 0xff) != 1) {
                reply4(0x5b);
                refuse("SOCKS 4 command " + (b[1] & 0xff) + " (only CONNECT is served)");
                return;
            }
            consume(end);
            connect(host, port);
        }

        private void greeting5(byte[] b) throws IOException {
            // VER NMETHODS METHODS...
            if (b.length < 2 || b.length < 2 + (b[1] & 0xff)) {
                return;
            }
            int n = b[1] & 0xff;
            boolean noAuth = false;
            for (int i = 0; i < n; i++) {
                noAuth |= b[2 + i] == 0;
            }
            consume(2 + n);
            if (!noAuth) {
                write(new byte[] { 5, (byte) 0xff });
                refuse("a SOCKS 5 client that offers no way in without a password");
                return;
            }
            greeted = true;
            write(new byte[] { 5, 0 });
            if (pending.available() > 0) {
                parse();
            }
        }

        private void request5(byte[] b) throws IOException {
            // VER CMD RSV ATYP DST.ADDR DST.PORT(2)
            if (b.length < 5) {
                return;
            }
            int type = b[3] & 0xff;
            int length;
            switch (type) {
                case 1:
                    length = 4 + 4 + 2;
                    break;
                case 3:
                    length = 4 + 1 + (b[4] & 0xff) + 2;
                    break;
                case 4:
                    length = 4 + 16 + 2;
                    break;
                default:
                    reply5(0x08);
                    refuse("SOCKS 5 address type " + type);
                    return;
            }
            if (b.length < length) {
                return;
            }
            String host;
            if (type == 1) {
                host = (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff);
            } else if (type == 3) {
                host = new String(b, 5, b[4] & 0xff, StandardCharsets.US_ASCII);
            } else {
                byte[] a = new byte[16];
                System.arraycopy(b, 4, a, 0, 16);
                try {
                    host = InetAddress.getByAddress(a).getHostAddress();
                } catch (UnknownHostException e) {
                    reply5(0x08);
                    refuse("an IPv6 address that is none");
                    return;
                }
            }
            int port = ((b[length - 2] & 0xff) << 8) | (b[length - 1] & 0xff);
            if ((b[1] & 0xff) != 1) {
                reply5(0x07);
                refuse("SOCKS 5 command " + (b[1] & 0xff) + " (only CONNECT is served)");
                return;
            }
            consume(length);
            connect(host, port);
        }

        private void connect(String host, int port) throws IOException {
            if (host.isEmpty() || port == 0) {
                if (version == 4) {
                    reply4(0x5b);
                } else {
                    reply5(0x01);
                }
                refuse("a request without a host or port");
                return;
            }
            channel = new SocksChannel(session, new SshdSocketAddress(host, port), this::refusedByServer);
            channel.setStreaming(Streaming.Async);
            session.suspendRead(); // nothing more is read until the server has answered
            service.registerChannel(channel);
            channel.open().addListener(this::opened);
        }

        /** The SSH server refused the channel: the SOCKS answer, written before MINA closes the socket with the channel. */
        private void refusedByServer(SshChannelOpenException e) {
            LOG.debug("SOCKS mapping {}: the SSH server did not open {}: {}", mapping, channel.getTunnelExit(), e.getMessage());
            try {
                org.apache.sshd.common.io.IoWriteFuture answered = version == 4 ? reply4(0x5b) : reply5(socks5Code(e));
                answered.await(2, java.util.concurrent.TimeUnit.SECONDS); // ten bytes to a local socket: at once
                refused = true;
            } catch (IOException | RuntimeException ex) {
                LOG.debug("SOCKS mapping {}: the refusal could not be written", mapping, ex);
            }
        }

        private volatile boolean refused;

        private void opened(OpenFuture future) {
            Throwable t = future.getException();
            try {
                synchronized (this) {
                    if (t != null || !future.isOpened()) {
                        if (!refused) {
                            // closed without the server's refusal (the connection went): say so, if the socket is still there
                            if (version == 4) {
                                reply4(0x5b);
                            } else {
                                reply5(0x01);
                            }
                        }
                        service.unregisterChannel(channel);
                        session.close(false);
                        return;
                    }
                    if (version == 4) {
                        reply4(0x5a);
                    } else {
                        reply5(0x00);
                    }
                    open = true;
                    if (pending.available() > 0) {
                        byte[] early = new byte[pending.available()];
                        pending.getRawBytes(early);
                        forward(early, 0, early.length);
                    }
                    pending = null;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("SOCKS mapping {}: answering the client failed", mapping, e);
                session.close(true);
                return;
            }
            session.resumeRead();
        }

        /** Sends the client's bytes into the channel, reading no more until they are written (the channel's window decides). */
        private void forward(byte[] bytes, int off, int len) throws IOException {
            ByteArrayBuffer buffer = new ByteArrayBuffer(bytes, off, len);
            session.suspendRead();
            ThreadUtils.runAsInternal(channel.getAsyncIn(), out -> out.writeBuffer(buffer).addListener(f -> {
                if (f.isWritten()) {
                    session.resumeRead();
                } else {
                    session.close(true);
                }
            }));
        }

        private org.apache.sshd.common.io.IoWriteFuture reply4(int code) throws IOException {
            return write(new byte[] { 0, (byte) code, 0, 0, 0, 0, 0, 0 });
        }

        /** The SOCKS 5 answer; the bound address is given as 0.0.0.0:0, as OpenSSH does. */
        private org.apache.sshd.common.io.IoWriteFuture reply5(int code) throws IOException {
            return write(new byte[] { 5, (byte) code, 0, 1, 0, 0, 0, 0, 0, 0 });
        }

        private org.apache.sshd.common.io.IoWriteFuture write(byte[] bytes) throws IOException {
            return session.writeBuffer(new ByteArrayBuffer(bytes));
        }

        private void consume(int n) {
            pending.rpos(pending.rpos() + n);
            pending.compact();
        }

        private void refuse(String what) {
            LOG.debug("SOCKS mapping {}: refused {} from {}", mapping, what, session.getRemoteAddress());
            session.close(false);
        }

        synchronized void close() {
            if (channel != null) {
                channel.close(false);
            }
        }
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
