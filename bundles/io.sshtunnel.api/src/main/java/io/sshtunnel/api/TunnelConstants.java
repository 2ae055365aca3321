package io.sshtunnel.api;

/**
 * The names of the external contract: the factory PID and its properties, the service
 * properties of {@link Tunnel} and {@link TunnelEndpoint}, and the Event Admin topics.
 */
public final class TunnelConstants {
    private TunnelConstants() {
    }

    /** The factory PID: one factory configuration per tunnel. */
    public static final String FACTORY_PID = "io.sshtunnel.tunnel";

    // configuration properties
    public static final String NAME = "name";
    public static final String ENABLED = "enabled";
    public static final String OWNER = "owner";
    public static final String SERVER_HOST = "server.host";
    public static final String SERVER_PORT = "server.port";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String PRIVATE_KEY_PATH = "private.key.path";
    public static final String PRIVATE_KEY_PASSPHRASE = "private.key.passphrase";
    public static final String FINGERPRINT = "fingerprint";
    /** Configuration: true refuses trust on first use; the fingerprint must be pinned in advance. */
    public static final String FINGERPRINT_REQUIRED = "fingerprint.required";
    /** Framework property: the default of {@value #FINGERPRINT_REQUIRED} for every tunnel (false). */
    public static final String FINGERPRINT_REQUIRED_DEFAULT_PROPERTY = "io.sshtunnel.fingerprint.required";
    public static final String MAPPINGS = "mappings";
    public static final String KEEPALIVE_SECONDS = "keepalive.seconds";
    public static final String RECONNECT_MAX_SECONDS = "reconnect.max.seconds";
    public static final String CONNECT_TIMEOUT_SECONDS = "connect.timeout.seconds";
    /** Interval of the target probe in seconds; 0 (the default) turns it off. */
    public static final String TARGET_PROBE_SECONDS = "target.probe.seconds";
    /**
     * The {@code name} of another tunnel whose SSH connection this tunnel's passes through, as
     * OpenSSH's {@code ProxyJump}; absent: a direct TCP connection.
     *
     * @since 1.5
     */
    public static final String VIA = "via";
    /**
     * The proxy the TCP connection to the (first) SSH server goes through: {@code http://host:port}
     * (HTTP {@code CONNECT}) or {@code socks5://host:port}; absent: a direct connection.
     *
     * @since 1.5
     */
    public static final String PROXY = "proxy";
    /**
     * An OpenSSH user certificate ({@code id_ed25519-cert.pub}, signed with {@code ssh-keygen -s})
     * for the private key of {@code private.key.path}: offered as OpenSSH offers it.
     *
     * @since 1.5
     */
    public static final String CERTIFICATE_PATH = "certificate.path";
    /** @since 1.5 */
    public static final String PROXY_USERNAME = "proxy.username";
    /** A secret: never logged or shown. @since 1.5 */
    public static final String PROXY_PASSWORD = "proxy.password";

    public static final int DEFAULT_SERVER_PORT = 22;
    public static final int DEFAULT_KEEPALIVE_SECONDS = 5;
    /** Unanswered keepalive probes after which the connection is declared dead. */
    public static final int KEEPALIVE_MAX_MISSED = 3;
    public static final int DEFAULT_RECONNECT_MAX_SECONDS = 20;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;

    // service properties of Tunnel and TunnelEndpoint
    public static final String TUNNEL_ID = "tunnel.id";
    public static final String TUNNEL_NAME = "tunnel.name";
    public static final String TUNNEL_OWNER = "tunnel.owner";
    public static final String TUNNEL_STATE = "tunnel.state";
    public static final String SSH_SERVER = "ssh.server";
    public static final String MAPPING_KIND = "mapping.kind";
    public static final String MAPPING_GATEWAY = "mapping.gateway";
    public static final String MAPPING_BIND_HOST = "mapping.bind.host";
    public static final String MAPPING_BIND_PORT = "mapping.bind.port";
    public static final String MAPPING_TARGET_HOST = "mapping.target.host";
    public static final String MAPPING_TARGET_PORT = "mapping.target.port";
    public static final String MAPPING_LABEL = "mapping.label";
    public static final String MAPPING_SERVICE = "mapping.service";

    /** Service property of a {@link TunnelModule}: the module's name. */
    public static final String MODULE_NAME = "tunnel.module";
    /** Capability namespace in which a module declares its {@link TunnelPolicy}; see docs/modules.md. */
    public static final String POLICY_NAMESPACE = "io.sshtunnel.policy";

    // events
    /** Topic prefix of tunnel state events; the state name follows, e.g. {@code io/sshtunnel/Tunnel/UP}. */
    public static final String TOPIC_TUNNEL = "io/sshtunnel/Tunnel/";
    /** Topic prefix of mapping events; {@code ACTIVE} or {@code FAILED} follows. */
    public static final String TOPIC_MAPPING = "io/sshtunnel/Mapping/";
    /** Every tunnel event: {@code io/sshtunnel/Tunnel/*}. */
    public static final String TOPIC_TUNNEL_ALL = TOPIC_TUNNEL + "*";
    /** Every mapping event: {@code io/sshtunnel/Mapping/*}. */
    public static final String TOPIC_MAPPING_ALL = TOPIC_MAPPING + "*";
    public static final String EVENT_REASON = "reason";
    public static final String EVENT_TIMESTAMP = "timestamp";
    /** Event property holding the 0-based mapping index. */
    public static final String EVENT_MAPPING_INDEX = "mapping.index";
}
