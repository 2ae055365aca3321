package io.sshtunnel.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a module asks {@link TunnelAdmin} to create or change: a tunnel's configuration, secrets
 * included. {@link #toString()} never shows a secret. Immutable.
 *
 * <p>One description of a tunnel: the settings are a {@link TunnelSpec} (what the engine runs and
 * the validator checks), this class adds only the secrets the spec never holds, and
 * {@link #toProperties()} is the one mapping to Config Admin properties.
 */
public final class TunnelRequest {
    /** The settings, as the engine and the validator see them (no id, no owner: those are the admin service's). */
    private final TunnelSpec settings;
    private final String password;
    private final String passphrase;
    private final String proxyPassword;

    private TunnelRequest(Builder b) {
        this.password = b.password;
        this.passphrase = b.passphrase;
        this.proxyPassword = b.proxyPassword;
        this.settings = b.settings.passwordSet(password != null && !password.isEmpty())
                .passphraseSet(passphrase != null && !passphrase.isEmpty()).build();
    }

    /** A request for the tunnel of this name (unique in the container). */
    public static Builder builder(String name) {
        return new Builder(TunnelSpec.builder(UNSAVED, Objects.requireNonNull(name, "name")));
    }

    /** The id of the settings before the admin service gives them one. */
    private static final String UNSAVED = "unsaved";

    /**
     * The settings of this request as a spec with the given id and owner: what the validator
     * checks (no secrets, only whether each is set).
     */
    public TunnelSpec toSpec(String id, String owner) {
        return settings.withId(id).owner(owner).build();
    }

    public String name() { return settings.name(); }
    public boolean enabled() { return settings.enabled(); }
    public String serverHost() { return settings.serverHost(); }
    public int serverPort() { return settings.serverPort(); }
    public String username() { return settings.username(); }
    /** The password, or {@code null}. */
    public String password() { return password; }
    public String privateKeyPath() { return settings.privateKeyPath(); }
    /** The key's passphrase, or {@code null}. */
    public String passphrase() { return passphrase; }
    /** The server's pinned fingerprint, or {@code null}: trust on first use (or, on update, keep the one pinned). */
    public String fingerprint() { return settings.fingerprint(); }
    public boolean fingerprintRequired() { return settings.fingerprintRequired(); }
    public List<PortMapping> mappings() { return settings.mappings(); }
    public int keepaliveSeconds() { return settings.keepaliveSeconds(); }
    public int reconnectMaxSeconds() { return settings.reconnectMaxSeconds(); }
    public int connectTimeoutSeconds() { return settings.connectTimeoutSeconds(); }
    /**
     * Seconds between probes of each mapping's target through the tunnel; 0 (the default) off.
     *
     * @since 1.4
     */
    public int targetProbeSeconds() { return settings.targetProbeSeconds(); }
    /**
     * The tunnel whose SSH connection this one's passes through, or {@code null}.
     *
     * @since 1.5
     */
    public String via() { return settings.via(); }
    /** The proxy URL, or {@code null}. @since 1.5 */
    public String proxy() { return settings.proxy(); }
    /** The proxy's user name, or {@code null}. @since 1.5 */
    public String proxyUsername() { return settings.proxyUsername(); }
    /** The proxy's password, or {@code null}. @since 1.5 */
    public String proxyPassword() { return proxyPassword; }
    /** The OpenSSH user certificate of the private key, or {@code null}. @since 1.5 */
    public String certificatePath() { return settings.certificatePath(); }

    /**
     * The configuration property names a request describes: an update replaces exactly these and
     * keeps every other property stored (one a later version adds, say).
     *
     * @since 1.4
     */
    public static Set<String> propertyNames() {
        return PROPERTY_NAMES;
    }

    private static final Set<String> PROPERTY_NAMES = Set.of(TunnelConstants.NAME, TunnelConstants.ENABLED,
            TunnelConstants.SERVER_HOST, TunnelConstants.SERVER_PORT, TunnelConstants.USERNAME, TunnelConstants.PASSWORD,
            TunnelConstants.PRIVATE_KEY_PATH, TunnelConstants.PRIVATE_KEY_PASSPHRASE, TunnelConstants.FINGERPRINT,
            TunnelConstants.FINGERPRINT_REQUIRED, TunnelConstants.MAPPINGS, TunnelConstants.KEEPALIVE_SECONDS,
            TunnelConstants.RECONNECT_MAX_SECONDS, TunnelConstants.CONNECT_TIMEOUT_SECONDS, TunnelConstants.TARGET_PROBE_SECONDS,
            TunnelConstants.VIA, TunnelConstants.PROXY, TunnelConstants.PROXY_USERNAME, TunnelConstants.PROXY_PASSWORD,
            TunnelConstants.CERTIFICATE_PATH);

    /**
     * The request as configuration properties ({@link TunnelConstants}): every setting, secrets
     * and the fingerprint only where set, mappings as their entries. The one mapping from a
     * request to a tunnel configuration; hold the result as carefully as the secrets in it.
     *
     * @since 1.4
     */
    public Map<String, Object> toProperties() {
        TunnelSpec s = settings;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TunnelConstants.NAME, s.name());
        p.put(TunnelConstants.ENABLED, s.enabled());
        if (s.serverHost() != null) {
            p.put(TunnelConstants.SERVER_HOST, s.serverHost());
        }
        p.put(TunnelConstants.SERVER_PORT, s.serverPort());
        if (s.username() != null) {
            p.put(TunnelConstants.USERNAME, s.username());
        }
        if (password != null && !password.isEmpty()) {
            p.put(TunnelConstants.PASSWORD, password);
        }
        if (s.privateKeyPath() != null && !s.privateKeyPath().isBlank()) {
            p.put(TunnelConstants.PRIVATE_KEY_PATH, s.privateKeyPath());
        }
        if (passphrase != null && !passphrase.isEmpty()) {
            p.put(TunnelConstants.PRIVATE_KEY_PASSPHRASE, passphrase);
        }
        if (s.fingerprint() != null && !s.fingerprint().isBlank()) {
            p.put(TunnelConstants.FINGERPRINT, s.fingerprint());
        }
        p.put(TunnelConstants.FINGERPRINT_REQUIRED, s.fingerprintRequired());
        p.put(TunnelConstants.MAPPINGS, s.mappings().stream().map(PortMapping::format).toArray(String[]::new));
        p.put(TunnelConstants.KEEPALIVE_SECONDS, s.keepaliveSeconds());
        p.put(TunnelConstants.RECONNECT_MAX_SECONDS, s.reconnectMaxSeconds());
        p.put(TunnelConstants.CONNECT_TIMEOUT_SECONDS, s.connectTimeoutSeconds());
        p.put(TunnelConstants.TARGET_PROBE_SECONDS, s.targetProbeSeconds());
        if (s.via() != null) {
            p.put(TunnelConstants.VIA, s.via());
        }
        if (s.proxy() != null) {
            p.put(TunnelConstants.PROXY, s.proxy());
        }
        if (s.certificatePath() != null) {
            p.put(TunnelConstants.CERTIFICATE_PATH, s.certificatePath());
        }
        if (s.proxyUsername() != null) {
            p.put(TunnelConstants.PROXY_USERNAME, s.proxyUsername());
        }
        if (proxyPassword != null && !proxyPassword.isEmpty()) {
            p.put(TunnelConstants.PROXY_PASSWORD, proxyPassword);
        }
        return p;
    }

    /** The same request with the fingerprint given. */
    public TunnelRequest withFingerprint(String fp) {
        return toBuilder().fingerprint(fp).build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(settings.toBuilder());
        b.password = password;
        b.passphrase = passphrase;
        b.proxyPassword = proxyPassword;
        return b;
    }

    @Override
    public String toString() {
        return "tunnel \"" + name() + "\" " + username() + "@" + serverHost() + ":" + serverPort() + " " + mappings()
                + (password != null ? " (password set)" : "") + (passphrase != null ? " (passphrase set)" : "");
    }

    /** Builds a {@link TunnelRequest}; defaults are those of the configuration. */
    public static final class Builder {
        private final TunnelSpec.Builder settings;
        private final List<PortMapping> mappings = new ArrayList<>();
        private String password;
        private String passphrase;
        private String proxyPassword;

        private Builder(TunnelSpec.Builder settings) {
            this.settings = settings;
            this.mappings.addAll(settings.build().mappings());
        }

        public Builder enabled(boolean v) { settings.enabled(v); return this; }
        public Builder server(String host, int port) { settings.server(host, port); return this; }
        public Builder username(String v) { settings.username(v); return this; }
        public Builder password(String v) { password = v; return this; }

        public Builder privateKey(String path, String keyPassphrase) {
            settings.privateKeyPath(path);
            passphrase = keyPassphrase;
            return this;
        }

        public Builder fingerprint(String v) { settings.fingerprint(v); return this; }
        public Builder fingerprintRequired(boolean v) { settings.fingerprintRequired(v); return this; }

        public Builder mappings(List<PortMapping> v) {
            mappings.clear();
            mappings.addAll(v);
            settings.mappings(mappings);
            return this;
        }

        /**
         * Adds mappings written as in the configuration, e.g. {@code "L 1389:dc1.corp.local:389 # LDAP"}.
         *
         * @throws MappingSyntaxException quoting the entry that cannot be read
         */
        public Builder mappings(String... entries) {
            Arrays.stream(entries).map(PortMapping::parse).forEach(mappings::add);
            settings.mappings(mappings);
            return this;
        }

        public Builder keepaliveSeconds(int v) { settings.keepaliveSeconds(v); return this; }
        public Builder reconnectMaxSeconds(int v) { settings.reconnectMaxSeconds(v); return this; }
        public Builder connectTimeoutSeconds(int v) { settings.connectTimeoutSeconds(v); return this; }
        /** @since 1.4 */
        public Builder targetProbeSeconds(int v) { settings.targetProbeSeconds(v); return this; }
        /** @since 1.5 */
        public Builder via(String v) { settings.via(v); return this; }
        /** The OpenSSH user certificate of the private key. @since 1.5 */
        public Builder certificate(String path) { settings.certificatePath(path); return this; }
        /** The proxy of the connection to the SSH server, with its user and password (each may be null). @since 1.5 */
        public Builder proxy(String url, String username, String password) {
            settings.proxy(url, username, password != null && !password.isEmpty());
            proxyPassword = password;
            return this;
        }

        public TunnelRequest build() {
            return new TunnelRequest(this);
        }
    }
}
