package io.sshtunnel.api;

import java.util.List;
import java.util.Objects;

/**
 * A tunnel configuration as the engine and the validators see it, without secrets: whether a
 * password or key passphrase is set is known, their values are not. Immutable.
 */
public final class TunnelSpec {
    private final String id;
    private final String name;
    private final boolean enabled;
    private final String owner;
    private final String serverHost;
    private final int serverPort;
    private final String username;
    private final boolean passwordSet;
    private final String privateKeyPath;
    private final boolean passphraseSet;
    private final String fingerprint;
    private final boolean fingerprintRequired;
    private final List<PortMapping> mappings;
    private final int keepaliveSeconds;
    private final int reconnectMaxSeconds;
    private final int connectTimeoutSeconds;
    private final int targetProbeSeconds;
    private final String via;
    private final String proxy;
    private final String proxyUsername;
    private final boolean proxyPasswordSet;
    private final String certificatePath;

    private TunnelSpec(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.name = Objects.requireNonNull(b.name, "name");
        this.enabled = b.enabled;
        this.owner = b.owner;
        this.serverHost = b.serverHost;
        this.serverPort = b.serverPort;
        this.username = b.username;
        this.passwordSet = b.passwordSet;
        this.privateKeyPath = b.privateKeyPath;
        this.passphraseSet = b.passphraseSet;
        this.fingerprint = b.fingerprint;
        this.fingerprintRequired = b.fingerprintRequired;
        this.mappings = List.copyOf(b.mappings);
        this.keepaliveSeconds = b.keepaliveSeconds;
        this.reconnectMaxSeconds = b.reconnectMaxSeconds;
        this.connectTimeoutSeconds = b.connectTimeoutSeconds;
        this.targetProbeSeconds = b.targetProbeSeconds;
        this.via = b.via == null || b.via.isBlank() ? null : b.via.strip();
        this.proxy = b.proxy == null || b.proxy.isBlank() ? null : b.proxy.strip();
        this.proxyUsername = b.proxyUsername == null || b.proxyUsername.isBlank() ? null : b.proxyUsername;
        this.proxyPasswordSet = b.proxyPasswordSet;
        this.certificatePath = b.certificatePath == null || b.certificatePath.isBlank() ? null : b.certificatePath.strip();
    }

    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        return withId(id);
    }

    /** A builder holding this spec's values under another id (a request's settings becoming a tunnel's). */
    Builder withId(String newId) {
        Builder b = new Builder(newId, name);
        b.enabled = enabled;
        b.owner = owner;
        b.serverHost = serverHost;
        b.serverPort = serverPort;
        b.username = username;
        b.passwordSet = passwordSet;
        b.privateKeyPath = privateKeyPath;
        b.passphraseSet = passphraseSet;
        b.fingerprint = fingerprint;
        b.fingerprintRequired = fingerprintRequired;
        b.mappings = mappings;
        b.keepaliveSeconds = keepaliveSeconds;
        b.reconnectMaxSeconds = reconnectMaxSeconds;
        b.connectTimeoutSeconds = connectTimeoutSeconds;
        b.targetProbeSeconds = targetProbeSeconds;
        b.via = via;
        b.proxy = proxy;
        b.proxyUsername = proxyUsername;
        b.proxyPasswordSet = proxyPasswordSet;
        b.certificatePath = certificatePath;
        return b;
    }

    /** The configuration's PID. */
    public String id() { return id; }
    public String name() { return name; }
    public boolean enabled() { return enabled; }
    /** The owning module's bundle symbolic name, or {@code null} for the administrator. */
    public String owner() { return owner; }
    public String serverHost() { return serverHost; }
    public int serverPort() { return serverPort; }
    /** {@code host:port}, IPv6 in brackets. */
    public String server() {
        String h = serverHost == null ? "" : serverHost;
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + serverPort;
    }
    public String username() { return username; }
    public boolean passwordSet() { return passwordSet; }
    public String privateKeyPath() { return privateKeyPath; }
    public boolean passphraseSet() { return passphraseSet; }
    /** The pinned host key fingerprint ({@code SHA256:...}), or {@code null} for trust on first use. */
    public String fingerprint() { return fingerprint; }
    /** Whether trust on first use is refused: the configuration must pin the server's key. */
    public boolean fingerprintRequired() { return fingerprintRequired; }
    public List<PortMapping> mappings() { return mappings; }
    public int keepaliveSeconds() { return keepaliveSeconds; }
    public int reconnectMaxSeconds() { return reconnectMaxSeconds; }
    public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    /** How often each mapping's target is probed through the live connection, in seconds; 0: never. */
    public int targetProbeSeconds() { return targetProbeSeconds; }
    /**
     * The name of the tunnel whose SSH connection this one's passes through (a jump host, as
     * OpenSSH's {@code ProxyJump}), or {@code null} for a direct connection.
     *
     * @since 1.5
     */
    public String via() { return via; }
    /**
     * The proxy of the TCP connection to the SSH server ({@code http://host:port} or
     * {@code socks5://host:port}), or {@code null} for a direct one.
     *
     * @since 1.5
     */
    public String proxy() { return proxy; }
    /** The proxy's user name, or {@code null}. @since 1.5 */
    public String proxyUsername() { return proxyUsername; }
    /** Whether a proxy password is configured (never the password itself). @since 1.5 */
    public boolean proxyPasswordSet() { return proxyPasswordSet; }
    /** The OpenSSH user certificate of the private key, or {@code null}. @since 1.5 */
    public String certificatePath() { return certificatePath; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TunnelSpec)) {
            return false;
        }
        TunnelSpec s = (TunnelSpec) o;
        return id.equals(s.id) && name.equals(s.name) && enabled == s.enabled && Objects.equals(owner, s.owner)
                && Objects.equals(serverHost, s.serverHost) && serverPort == s.serverPort
                && Objects.equals(username, s.username) && passwordSet == s.passwordSet
                && Objects.equals(privateKeyPath, s.privateKeyPath) && passphraseSet == s.passphraseSet
                && Objects.equals(fingerprint, s.fingerprint) && fingerprintRequired == s.fingerprintRequired
                && mappings.equals(s.mappings)
                && keepaliveSeconds == s.keepaliveSeconds && reconnectMaxSeconds == s.reconnectMaxSeconds
                && connectTimeoutSeconds == s.connectTimeoutSeconds && targetProbeSeconds == s.targetProbeSeconds
                && Objects.equals(via, s.via) && Objects.equals(proxy, s.proxy) && Objects.equals(proxyUsername, s.proxyUsername)
                && proxyPasswordSet == s.proxyPasswordSet && Objects.equals(certificatePath, s.certificatePath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, serverHost, serverPort, username, mappings);
    }

    @Override
    public String toString() {
        return "tunnel \"" + name + "\" " + username + "@" + server() + " " + mappings;
    }

    /** Builds a {@link TunnelSpec}; defaults are those of the contract. */
    public static final class Builder {
        private final String id;
        private final String name;
        private boolean enabled = true;
        private String owner;
        private String serverHost;
        private int serverPort = TunnelConstants.DEFAULT_SERVER_PORT;
        private String username;
        private boolean passwordSet;
        private String privateKeyPath;
        private boolean passphraseSet;
        private String fingerprint;
        private boolean fingerprintRequired;
        private List<PortMapping> mappings = List.of();
        private int keepaliveSeconds = TunnelConstants.DEFAULT_KEEPALIVE_SECONDS;
        private int reconnectMaxSeconds = TunnelConstants.DEFAULT_RECONNECT_MAX_SECONDS;
        private int connectTimeoutSeconds = TunnelConstants.DEFAULT_CONNECT_TIMEOUT_SECONDS;
        private int targetProbeSeconds;
        private String via;
        private String proxy;
        private String proxyUsername;
        private boolean proxyPasswordSet;
        private String certificatePath;

        private Builder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder server(String host, int port) { serverHost = host; serverPort = port; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder passwordSet(boolean v) { passwordSet = v; return this; }
        public Builder privateKeyPath(String v) { privateKeyPath = v; return this; }
        public Builder passphraseSet(boolean v) { passphraseSet = v; return this; }
        public Builder fingerprint(String v) { fingerprint = v; return this; }
        public Builder fingerprintRequired(boolean v) { fingerprintRequired = v; return this; }
        public Builder mappings(List<PortMapping> v) { mappings = List.copyOf(v); return this; }
        public Builder keepaliveSeconds(int v) { keepaliveSeconds = v; return this; }
        public Builder reconnectMaxSeconds(int v) { reconnectMaxSeconds = v; return this; }
        public Builder connectTimeoutSeconds(int v) { connectTimeoutSeconds = v; return this; }
        public Builder targetProbeSeconds(int v) { targetProbeSeconds = v; return this; }
        /** @since 1.5 */
        public Builder via(String v) { via = v; return this; }
        /** @since 1.5 */
        public Builder certificatePath(String v) { certificatePath = v; return this; }
        /** @since 1.5 */
        public Builder proxy(String url, String username, boolean passwordSet) {
            proxy = url;
            proxyUsername = username;
            proxyPasswordSet = passwordSet;
            return this;
        }

        public TunnelSpec build() {
            return new TunnelSpec(this);
        }
    }
}
