package io.sshtunnel.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a module asks {@link TunnelAdmin} to create or change: a tunnel's configuration, secrets
 * included. {@link #toString()} never shows a secret. Immutable.
 */
public final class TunnelRequest {
    private final String name;
    private final boolean enabled;
    private final String serverHost;
    private final int serverPort;
    private final String username;
    private final String password;
    private final String privateKeyPath;
    private final String passphrase;
    private final String fingerprint;
    private final boolean fingerprintRequired;
    private final List<PortMapping> mappings;
    private final int keepaliveSeconds;
    private final int reconnectMaxSeconds;
    private final int connectTimeoutSeconds;

    private TunnelRequest(Builder b) {
        this.name = b.name;
        this.enabled = b.enabled;
        this.serverHost = b.serverHost;
        this.serverPort = b.serverPort;
        this.username = b.username;
        this.password = b.password;
        this.privateKeyPath = b.privateKeyPath;
        this.passphrase = b.passphrase;
        this.fingerprint = b.fingerprint;
        this.fingerprintRequired = b.fingerprintRequired;
        this.mappings = List.copyOf(b.mappings);
        this.keepaliveSeconds = b.keepaliveSeconds;
        this.reconnectMaxSeconds = b.reconnectMaxSeconds;
        this.connectTimeoutSeconds = b.connectTimeoutSeconds;
    }

    /** A request for the tunnel of this name (unique in the container). */
    public static Builder builder(String name) {
        return new Builder(Objects.requireNonNull(name, "name"));
    }

    public String name() { return name; }
    public boolean enabled() { return enabled; }
    public String serverHost() { return serverHost; }
    public int serverPort() { return serverPort; }
    public String username() { return username; }
    /** The password, or {@code null}. */
    public String password() { return password; }
    public String privateKeyPath() { return privateKeyPath; }
    /** The key's passphrase, or {@code null}. */
    public String passphrase() { return passphrase; }
    /** The server's pinned fingerprint, or {@code null}: trust on first use (or, on update, keep the one pinned). */
    public String fingerprint() { return fingerprint; }
    public boolean fingerprintRequired() { return fingerprintRequired; }
    public List<PortMapping> mappings() { return mappings; }
    public int keepaliveSeconds() { return keepaliveSeconds; }
    public int reconnectMaxSeconds() { return reconnectMaxSeconds; }
    public int connectTimeoutSeconds() { return connectTimeoutSeconds; }

    /** The spec the validator checks (no secrets), with the given id and owner. */
    public TunnelSpec toSpec(String id, String owner) {
        return TunnelSpec.builder(id, name).enabled(enabled).owner(owner).server(serverHost, serverPort).username(username)
                .passwordSet(password != null && !password.isEmpty()).privateKeyPath(privateKeyPath)
                .passphraseSet(passphrase != null && !passphrase.isEmpty()).fingerprint(fingerprint)
                .fingerprintRequired(fingerprintRequired).mappings(mappings).keepaliveSeconds(keepaliveSeconds)
                .reconnectMaxSeconds(reconnectMaxSeconds).connectTimeoutSeconds(connectTimeoutSeconds).build();
    }

    /** The same request with the fingerprint given. */
    public TunnelRequest withFingerprint(String fp) {
        Builder b = toBuilder();
        b.fingerprint = fp;
        return b.build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.enabled = enabled;
        b.serverHost = serverHost;
        b.serverPort = serverPort;
        b.username = username;
        b.password = password;
        b.privateKeyPath = privateKeyPath;
        b.passphrase = passphrase;
        b.fingerprint = fingerprint;
        b.fingerprintRequired = fingerprintRequired;
        b.mappings = new ArrayList<>(mappings);
        b.keepaliveSeconds = keepaliveSeconds;
        b.reconnectMaxSeconds = reconnectMaxSeconds;
        b.connectTimeoutSeconds = connectTimeoutSeconds;
        return b;
    }

    @Override
    public String toString() {
        return "tunnel \"" + name + "\" " + username + "@" + serverHost + ":" + serverPort + " " + mappings
                + (password != null ? " (password set)" : "") + (passphrase != null ? " (passphrase set)" : "");
    }

    /** Builds a {@link TunnelRequest}; defaults are those of the configuration. */
    public static final class Builder {
        private final String name;
        private boolean enabled = true;
        private String serverHost;
        private int serverPort = TunnelConstants.DEFAULT_SERVER_PORT;
        private String username;
        private String password;
        private String privateKeyPath;
        private String passphrase;
        private String fingerprint;
        private boolean fingerprintRequired;
        private List<PortMapping> mappings = new ArrayList<>();
        private int keepaliveSeconds = TunnelConstants.DEFAULT_KEEPALIVE_SECONDS;
        private int reconnectMaxSeconds = TunnelConstants.DEFAULT_RECONNECT_MAX_SECONDS;
        private int connectTimeoutSeconds = TunnelConstants.DEFAULT_CONNECT_TIMEOUT_SECONDS;

        private Builder(String name) {
            this.name = name;
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder server(String host, int port) { serverHost = host; serverPort = port; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder privateKey(String path, String keyPassphrase) { privateKeyPath = path; passphrase = keyPassphrase; return this; }
        public Builder fingerprint(String v) { fingerprint = v; return this; }
        public Builder fingerprintRequired(boolean v) { fingerprintRequired = v; return this; }
        public Builder mappings(List<PortMapping> v) { mappings = new ArrayList<>(v); return this; }

        /**
         * Adds mappings written as in the configuration, e.g. {@code "L 1389:dc1.corp.local:389 # LDAP"}.
         *
         * @throws MappingSyntaxException quoting the entry that cannot be read
         */
        public Builder mappings(String... entries) {
            Arrays.stream(entries).map(PortMapping::parse).forEach(mappings::add);
            return this;
        }

        public Builder keepaliveSeconds(int v) { keepaliveSeconds = v; return this; }
        public Builder reconnectMaxSeconds(int v) { reconnectMaxSeconds = v; return this; }
        public Builder connectTimeoutSeconds(int v) { connectTimeoutSeconds = v; return this; }

        public TunnelRequest build() {
            return new TunnelRequest(this);
        }
    }
}
