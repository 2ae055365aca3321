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

    /**
     * @param expectedFingerprint the pinned {@code SHA256:...} fingerprint, or {@code null} to trust
     *                            whatever key the server presents (trust on first use)
     * @param timeout             for TCP connect, handshake and authentication together
     */
    public ConnectRequest(String host, int port, Credentials credentials, String expectedFingerprint, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expectedFingerprint = expectedFingerprint;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String toString() {
        return credentials.username() + "@" + host + ":" + port;
    }
}
