package io.sshtunnel.core.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.sshtunnel.common.Reason;

/**
 * The TCP connection to an SSH server through the company's proxy ({@code proxy}): HTTP
 * {@code CONNECT} or SOCKS 5, with a user name and password where given. The proxy's answer is read
 * here, in plain words for the tunnel's reason (a 407 or a refused SOCKS login stops retrying, as a
 * rejected password does); once the proxy has connected, the SSH connection is made to a port on
 * the loopback interface that relays to it, accepting one connection, and closes with it.
 */
final class ProxyConnection implements ForwardHandle {
    /** The longest answer header read from an HTTP proxy. */
    static final int MAX_HEADER = 16 * 1024;

    private final Socket proxy;
    private final ServerSocket entrance;
    private final byte[] early;
    private final AtomicReference<Socket> accepted = new AtomicReference<>();
    private final CountDownLatch acceptedLatch = new CountDownLatch(1);
    private volatile boolean closed;

    private ProxyConnection(Socket proxy, byte[] early) throws IOException {
        this.proxy = proxy;
        this.early = early;
        this.entrance = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /**
     * Connects to the proxy and asks it for {@code host:port}; the relay is running when this returns.
     *
     * @param deadline {@link System#nanoTime()} by which the proxy must have answered
     */
    static ProxyConnection open(String proxy, String user, String password, String host, int port, long deadline) throws SshFailure {
        String url = io.sshtunnel.common.Urls.withoutUserInfo(proxy.strip()); // as every message names it
        URI uri;
        try {
            uri = new URI(proxy.strip());
        } catch (java.net.URISyntaxException e) {
            throw new SshFailure(SshFailure.Kind.LOCAL, Reason.of("proxy.syntax", url), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("socks5")) || uri.getHost() == null || uri.getPort() < 1) {
            throw new SshFailure(SshFailure.Kind.LOCAL, Reason.of("proxy.syntax", url), null);
        }
        String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), millis(deadline));
            s.setSoTimeout(millis(deadline));
            byte[] early = scheme.equals("http") ? http(s, url, user, password, target) : socks5(s, url, user, password, host, port);
            s.setSoTimeout(0);
            ProxyConnection c = new ProxyConnection(s, early);
            c.start(deadline);
            return c;
        } catch (SshFailure f) {
            close(s);
            throw f;
        } catch (UnknownHostException e) {
            close(s);
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.resolve", url), e);
        } catch (ConnectException e) {
            close(s);
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.refused", url), e);
        } catch (SocketTimeoutException e) {
            close(s);
            throw new SshFailure(SshFailure.Kind.TIMEOUT, Reason.of("proxy.timeout", url), e);
        } catch (IOException e) {
            close(s);
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.unreachable", url, String.valueOf(e.getMessage())), e);
        }
    }

    private static int millis(long deadline) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    /** HTTP CONNECT; returns what came after the answer's header (the SSH server may speak at once). */
    private static byte[] http(Socket s, String url, String user, String password, String target) throws IOException, SshFailure {
        StringBuilder req = new StringBuilder("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ").append(target).append("\r\n");
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
            req.append("Proxy-Authorization: Basic ").append(token).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int end = -1;
        byte[] buf = new byte[4096];
        while (end < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.closed", url), null);
            }
            head.write(buf, 0, n);
            end = indexOf(head.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (end < 0 && head.size() > MAX_HEADER) {
                throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "HTTP"), null);
            }
        }
        byte[] all = head.toByteArray();
        String status = new String(all, 0, Math.max(0, indexOf(all, "\r\n".getBytes(StandardCharsets.ISO_8859_1))), StandardCharsets.ISO_8859_1);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "HTTP"), null);
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "HTTP"), e);
        }
        // 407 is the proxy's "who are you"; some (tinyproxy) answer a CONNECT with 401 instead
        if (code == 407 || code == 401) {
            throw user == null ? new SshFailure(SshFailure.Kind.PROXY_AUTH, Reason.of("proxy.authNeeded", url), null)
                    : new SshFailure(SshFailure.Kind.PROXY_AUTH, Reason.of("proxy.authRejected", url, user), null);
        }
        if (code < 200 || code > 299) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.httpRefused", url, target, Reason.literal(status.strip())), null);
        }
        byte[] rest = new byte[all.length - end - 4];
        System.arraycopy(all, end + 4, rest, 0, rest.length);
        return rest;
    }

    /** SOCKS 5 CONNECT by name (the proxy resolves it), with user and password where given (RFC 1929). */
    private static byte[] socks5(Socket s, String url, String user, String password, String host, int port) throws IOException, SshFailure {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(user == null ? new byte[] { 5, 1, 0 } : new byte[] { 5, 2, 0, 2 });
        out.flush();
        byte[] choice = readN(in, 2, url);
        if (choice[0] != 5) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "SOCKS 5"), null);
        }
        if ((choice[1] & 0xff) == 0xff) {
            throw new SshFailure(SshFailure.Kind.PROXY_AUTH, user == null ? Reason.of("proxy.authNeeded", url)
                    : Reason.of("proxy.authRejected", url, user), null);
        }
        if (choice[1] == 2) {
            if (user == null) {
                throw new SshFailure(SshFailure.Kind.PROXY_AUTH, Reason.of("proxy.authNeeded", url), null);
            }
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            byte[] p = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream auth = new ByteArrayOutputStream();
            auth.write(1);
            auth.write(Math.min(255, u.length));
            auth.write(u, 0, Math.min(255, u.length));
            auth.write(Math.min(255, p.length));
            auth.write(p, 0, Math.min(255, p.length));
            out.write(auth.toByteArray());
            out.flush();
            byte[] status = readN(in, 2, url);
            if (status[1] != 0) {
                throw new SshFailure(SshFailure.Kind.PROXY_AUTH, Reason.of("proxy.authRejected", url, user), null);
            }
        } else if (choice[1] != 0) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "SOCKS 5"), null);
        }
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(new byte[] { 5, 1, 0, 3, (byte) Math.min(255, name.length) });
        req.write(name, 0, Math.min(255, name.length));
        req.write(port >> 8);
        req.write(port & 0xff);
        out.write(req.toByteArray());
        out.flush();
        byte[] reply = readN(in, 4, url);
        if (reply[0] != 5) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "SOCKS 5"), null);
        }
        int rep = reply[1] & 0xff;
        if (rep != 0) {
            String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.socksRefused", url, target, rep,
                    Reason.of(rep <= 8 ? "proxy.socks." + rep : "proxy.socks.other")), null);
        }
        int atyp = reply[3] & 0xff;
        int skip = atyp == 1 ? 4 : atyp == 4 ? 16 : atyp == 3 ? (readN(in, 1, url)[0] & 0xff) : -1;
        if (skip < 0) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.garbled", url, "SOCKS 5"), null);
        }
        readN(in, skip + 2, url); // the address and port the proxy bound: not needed
        return new byte[0];
    }

    private static byte[] readN(InputStream in, int n, String url) throws IOException, SshFailure {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("proxy.closed", url), null);
        }
        return b;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Accepts the one connection the SSH client makes, then copies both ways until either side ends. */
    private void start(long deadline) {
        Thread t = new Thread(() -> {
            try {
                entrance.setSoTimeout(millis(deadline) + 1000);
                Socket client = entrance.accept();
                client.setTcpNoDelay(true);
                accepted.set(client);
                acceptedLatch.countDown();
                entrance.close();
                // what the proxy passed on right after its answer (the SSH server's greeting, perhaps) goes first
                Thread back = new Thread(() -> pump(proxy, client, early), "sshtunnel-proxy-in");
                back.setDaemon(true);
                back.start();
                pump(client, proxy, null);
            } catch (IOException e) {
                acceptedLatch.countDown();
                close();
            }
        }, "sshtunnel-proxy-out");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, byte[] first) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            if (first != null && first.length > 0) {
                out.write(first);
                out.flush();
            }
            for (int n; (n = in.read(buf)) >= 0;) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close();
        }
    }

    /** Where the SSH client connects on this machine. */
    @Override
    public InetSocketAddress boundAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), entrance.getLocalPort());
    }

    /** The address the relay's one connection came from, once accepted (within the timeout), else null. */
    SocketAddress acceptedFrom(long timeoutMillis) throws InterruptedException {
        acceptedLatch.await(timeoutMillis, TimeUnit.MILLISECONDS);
        Socket a = accepted.get();
        return a == null ? null : a.getRemoteSocketAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        close(entrance);
        close(accepted.get());
        close(proxy);
    }

    private static void close(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
