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

    @Override
    public String toString() {
        return credentials.username() + "@" + host + ":" + port;
    }
}
