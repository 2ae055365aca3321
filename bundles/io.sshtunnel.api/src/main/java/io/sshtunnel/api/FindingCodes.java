package io.sshtunnel.api;

/** The stable codes of {@link Finding}s; docs/configuration.md shows an example of each. */
public final class FindingCodes {
    private FindingCodes() {
    }

    /** A required property is missing ({@code server.host}, {@code username}, {@code mappings}). */
    public static final String REQUIRED = "REQUIRED";
    /** A value has the wrong type (text where a number belongs, ...). */
    public static final String TYPE = "TYPE";
    /** A port is outside 1-65535. */
    public static final String PORT_RANGE = "PORT_RANGE";
    /** Another number (an interval) is outside its range. */
    public static final String RANGE = "RANGE";
    /** {@code server.host} is not a host name or IP address. */
    public static final String HOST_SYNTAX = "HOST_SYNTAX";
    /** A mapping entry cannot be parsed. */
    public static final String MAPPING_SYNTAX = "MAPPING_SYNTAX";
    /** {@code fingerprint} is not {@code SHA256:} and 43 base64 characters. */
    public static final String FINGERPRINT_FORMAT = "FINGERPRINT_FORMAT";
    /** {@code fingerprint.required} is set and no fingerprint is pinned: trust on first use is refused. */
    public static final String FINGERPRINT_MISSING = "FINGERPRINT_MISSING";
    /** The private key file is missing, unreadable or cannot be decrypted. */
    public static final String KEY_FILE = "KEY_FILE";
    /** The private key file may be read by other users of this machine (OpenSSH refuses such keys; we warn). */
    public static final String KEY_FILE_PERMISSIONS = "KEY_FILE_PERMISSIONS";
    /** More mappings than one tunnel may have (100). */
    public static final String TOO_MANY_MAPPINGS = "TOO_MANY_MAPPINGS";
    /** Neither password nor private key is configured. */
    public static final String NO_CREDENTIALS = "NO_CREDENTIALS";
    /** Both password and private key are configured (the key is offered first). */
    public static final String BOTH_CREDENTIALS = "BOTH_CREDENTIALS";
    /** A value contains a control character. */
    public static final String CONTROL_CHARACTER = "CONTROL_CHARACTER";
    /** A file holding a password or passphrase ({@code .cfg}, {@code .config}, {@code secrets/}) may be read by other users. */
    public static final String SECRET_FILE_PERMISSIONS = "SECRET_FILE_PERMISSIONS";
    /** Stands for the findings left out of a bounded list: "... and 99,900 more". */
    public static final String MORE_FINDINGS = "MORE_FINDINGS";
    /** A value is longer than accepted. */
    public static final String TOO_LONG = "TOO_LONG";
    /** An {@code L} mapping binds a port below 1024 on this machine. */
    public static final String PRIVILEGED_LOCAL_PORT = "PRIVILEGED_LOCAL_PORT";
    /** An {@code R} mapping binds a port below 1024 on the SSH server. */
    public static final String PRIVILEGED_REMOTE_PORT = "PRIVILEGED_REMOTE_PORT";
    /** Two {@code L} mappings bind the same port on overlapping addresses. */
    public static final String LOCAL_PORT_COLLISION = "LOCAL_PORT_COLLISION";
    /** Two {@code R} mappings bind the same port on the same SSH server on overlapping addresses. */
    public static final String REMOTE_PORT_COLLISION = "REMOTE_PORT_COLLISION";
    /** The same mapping twice. */
    public static final String DUPLICATE_MAPPING = "DUPLICATE_MAPPING";
    /** An {@code L} mapping's port is taken on this machine by another program. */
    public static final String LOCAL_PORT_IN_USE = "LOCAL_PORT_IN_USE";
    /** An {@code R} mapping hands one of this container's admin ports (shell, console) to the SSH server's side. */
    public static final String ADMIN_PORT_EXPOSED = "ADMIN_PORT_EXPOSED";
    /** A gateway mapping: reachable by other hosts. */
    public static final String GATEWAY_EXPOSURE = "GATEWAY_EXPOSURE";
    /** The owning module's policy forbids the mapping's kind. */
    public static final String POLICY_KIND = "POLICY_KIND";
    /** The owning module's policy forbids gateway mappings. */
    public static final String POLICY_GATEWAY = "POLICY_GATEWAY";
    /** The owning module's policy forbids the mapping's port. */
    public static final String POLICY_PORT = "POLICY_PORT";
    /** The owning module's policy forbids the mapping's service template ({@code service=ID}). */
    public static final String POLICY_TEMPLATE = "POLICY_TEMPLATE";
    /** A tunnel name is already taken by another tunnel in the container. */
    public static final String NAME_TAKEN = "NAME_TAKEN";
    /** The change would alter a tunnel owned by another module. */
    public static final String NOT_OWNER = "NOT_OWNER";
    /** There is no tunnel configuration of the id or name asked for (deleted meanwhile, or never saved). */
    public static final String NOT_FOUND = "NOT_FOUND";
    /**
     * The tunnel was made from a file ({@code .cfg}/{@code .config} in a watched folder): it is
     * changed in that file, which would otherwise win at the next scan or restart.
     */
    public static final String FILE_MADE = "FILE_MADE";
    /** The tunnel was changed since the version the change was based on: saving would undo that change. */
    public static final String STALE_VERSION = "STALE_VERSION";
    /** The templates bundle is not running: no template can be applied now (start {@code io.sshtunnel.templates}). */
    public static final String TEMPLATES_UNAVAILABLE = "TEMPLATES_UNAVAILABLE";
    /** No service template has the id asked for. */
    public static final String TEMPLATE_UNKNOWN = "TEMPLATE_UNKNOWN";
    /** A template's placeholder has no value, or one that is not a host name or address. */
    public static final String TEMPLATE_PLACEHOLDER = "TEMPLATE_PLACEHOLDER";
    /** No free port was found near the template's suggested one. */
    public static final String TEMPLATE_NO_FREE_PORT = "TEMPLATE_NO_FREE_PORT";
    /**
     * The validation service is not running: the tunnel could not be checked against the rules and
     * the other tunnels. An {@code ERROR} for a configuration never checked in its current form (it
     * waits, and starts once the service is back); a {@code WARNING} for a running tunnel that was
     * checked before and is left running.
     */
    public static final String VALIDATION_UNAVAILABLE = "VALIDATION_UNAVAILABLE";
    /** The configuration could not be read because of a defect (reported, never thrown). */
    public static final String INTERNAL = "INTERNAL";

    /**
     * {@code via} names no tunnel (or one refused for errors of its own); the chain is spelled out.
     *
     * @since 1.5
     */
    public static final String VIA_UNKNOWN = "VIA_UNKNOWN";
    /**
     * Following {@code via} from tunnel to tunnel comes back to one already in the chain.
     *
     * @since 1.5
     */
    public static final String VIA_LOOP = "VIA_LOOP";
    /**
     * A tunnel in the {@code via} chain is disabled: nothing can pass through it.
     *
     * @since 1.5
     */
    public static final String VIA_DISABLED = "VIA_DISABLED";
    /**
     * {@code proxy} is not {@code http://host:port} or {@code socks5://host:port}, or is set beside
     * {@code via} (a proxy leads to the first SSH server only: it belongs to the jump host's tunnel).
     *
     * @since 1.5
     */
    public static final String PROXY_SYNTAX = "PROXY_SYNTAX";
}
