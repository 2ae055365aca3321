package io.sshtunnel.core.ssh;

import java.time.Duration;
import java.util.Objects;

/** Where and how to open one SSH connection. */
public final class ConnectRequest {
    final String host;
    final int port;
    final Credentials credentials;
    final String expectedFingerprint;
    final Duration timeout;
    final Duration forwardRequestTimeout;
    /** The address this attempt connects to, as a literal, once the name is resolved; null before. */
    final java.net.InetAddress address;
    /** The connection of the jump host this one passes through ({@code via}), or null for a direct one. */
    final SshLink hop;
    /** The name of the jump host's tunnel, for messages; null without one. */
    final String hopName;
    /** The port to connect to when it is not {@link #port} (the jump host's way in on this machine); 0: {@link #port}. */
    final int connectPort;
    /** The proxy the TCP connection goes through ({@code http://host:port}, {@code socks5://host:port}), or null. */
    final String proxy;
    /** The proxy's user name, or null; its password is in the credentials. */
    final String proxyUser;

    /**
     * @param expectedFingerprint the pinned {@code SHA256:...} fingerprint, or {@code null} to trust
     *                            whatever key the server presents (trust on first use)
     * @param timeout             for TCP connect, handshake and authentication together
     */
    public ConnectRequest(String host, int port, Credentials credentials, String expectedFingerprint, Duration timeout) {
        this(host, port, credentials, expectedFingerprint, timeout, Duration.ofSeconds(10));
    }

    /** @param forwardRequestTimeout how long to wait for the server's answer to an R mapping's request */
    public ConnectRequest(String host, int port, Credentials credentials, String expectedFingerprint, Duration timeout,
            Duration forwardRequestTimeout) {
        this(host, port, credentials, expectedFingerprint, timeout, forwardRequestTimeout, null, null, null, 0, null, null);
    }

    private ConnectRequest(String host, int port, Credentials credentials, String expectedFingerprint, Duration timeout,
            Duration forwardRequestTimeout, java.net.InetAddress address, SshLink hop, String hopName, int connectPort, String proxy,
            String proxyUser) {
        this.address = address;
        this.proxy = proxy;
        this.proxyUser = proxyUser;
        this.hop = hop;
        this.hopName = hopName;
        this.connectPort = connectPort;
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expectedFingerprint = expectedFingerprint;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.forwardRequestTimeout = Objects.requireNonNull(forwardRequestTimeout, "forwardRequestTimeout");
    }

    /** The fingerprint the server's key must have, or null for trust on first use. */
    public String expectedFingerprint() {
        return expectedFingerprint;
    }

    /** For TCP connect, handshake and authentication together. */
    public Duration timeout() {
        return timeout;
    }

    /** The same request, for one of the addresses the host name resolved to. */
    ConnectRequest at(java.net.InetAddress a) {
        return new ConnectRequest(host, port, credentials, expectedFingerprint, timeout, forwardRequestTimeout, a, hop, hopName,
                connectPort, proxy, proxyUser);
    }

    /**
     * The same request, passing through the jump host's connection ({@code via}): the server's name
     * is resolved and connected to by the jump host; its key is checked here as for a direct one.
     */
    public ConnectRequest through(SshLink jumpHost, String name) {
        return new ConnectRequest(host, port, credentials, expectedFingerprint, timeout, forwardRequestTimeout, null,
                Objects.requireNonNull(jumpHost, "jumpHost"), name, 0, null, null);
    }

    /** The same request, its TCP connection going through the proxy ({@code proxy}); the proxy's password is the credentials'. */
    public ConnectRequest throughProxy(String url, String user) {
        return new ConnectRequest(host, port, credentials, expectedFingerprint, timeout, forwardRequestTimeout, null, null, null, 0,
                Objects.requireNonNull(url, "url"), user);
    }

    /** The same request connecting to the jump host's way in on this machine. */
    ConnectRequest entering(java.net.InetSocketAddress entrance) {
        return new ConnectRequest(host, port, credentials, expectedFingerprint, timeout, forwardRequestTimeout, entrance.getAddress(),
                hop, hopName, entrance.getPort(), proxy, proxyUser);
    }

    /** The port the TCP connection goes to. */
    int connectPort() {
        return connectPort == 0 ? port : connectPort;
    }

    /** The address to connect to, as a literal ({@code 192.0.2.7}, {@code 2001:db8::7}), or the host when not resolved. */
    String connectHost() {
        return address == null ? host : address.getHostAddress();
    }

    /** Where this attempt goes, for messages: {@code dyn.customer.example (192.0.2.7):8822}. */
    String where() {
        if (hop != null) {
            return host + ":" + port + " (through the jump host \"" + hopName + "\")";
        }
        if (proxy != null) {
            return host + ":" + port + " (through the proxy " + io.sshtunnel.common.Urls.withoutUserInfo(proxy) + ")";
        }
        String literal = address == null ? null : address.getHostAddress();
        return host + (literal == null || literal.equals(host) ? "" : " (" + literal + ")") + ":" + port;
    }

    @Override
    public String toString() {
        return credentials.username() + "@" + host + ":" + port;
    }
}
