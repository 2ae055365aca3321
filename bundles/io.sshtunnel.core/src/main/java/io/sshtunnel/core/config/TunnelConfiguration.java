package io.sshtunnel.core.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of one tunnel (factory PID {@code io.sshtunnel.tunnel}), so that the Web
 * Console's Configuration Manager can create and edit tunnels. The engine reads the raw
 * properties itself ({@link ConfigReader}) to report bad values precisely instead of letting a
 * type conversion fail.
 */
@ObjectClassDefinition(
        id = "io.sshtunnel.tunnel",
        name = "SSH tunnel",
        description = "One SSH connection from this machine to an OpenSSH server, with port mappings in both directions,"
                + " kept alive and rebuilt when it breaks.")
public @interface TunnelConfiguration {

    @AttributeDefinition(name = "Name", description = "Unique label of the tunnel, e.g. \"customer-ad\". Other bundles and"
            + " the shell find the tunnel by it. Empty: the configuration's name.")
    String name() default "";

    @AttributeDefinition(name = "Enabled", description = "Unchecked: the tunnel is taken down, its configuration kept.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Owner", description = "Bundle symbolic name of the module that owns this tunnel. Empty:"
            + " the administrator. A module's tunnel runs only while the module is active, and only the module may change it.")
    String owner() default "";

    @AttributeDefinition(name = "SSH server", description = "Host name or IP address of the customer's OpenSSH server"
            + " (IPv6 in brackets).")
    String server_host() default "";

    @AttributeDefinition(name = "SSH port", description = "TCP port of the SSH server, e.g. 8822 when the customer's"
            + " router forwards it to port 22.", min = "1", max = "65535")
    int server_port() default 22;

    @AttributeDefinition(name = "User name", description = "SSH user, often a Windows account.")
    String username() default "";

    @AttributeDefinition(name = "Password", description = "Password for password authentication. Never logged or shown.",
            type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "Private key file", description = "Path of an OpenSSH or PEM private key (RSA, ECDSA,"
            + " Ed25519) for public-key authentication.", required = false)
    String private_key_path() default "";

    @AttributeDefinition(name = "Key passphrase", description = "Passphrase of the private key, if it is encrypted.",
            type = AttributeType.PASSWORD, required = false)
    String private_key_passphrase() default "";

    @AttributeDefinition(name = "Server fingerprint", description = "The server's host key as \"ssh-keygen -lf\" prints"
            + " it (SHA256:...). Empty: trust the key seen on the first connection and fill this in.", required = false)
    String fingerprint() default "";

    @AttributeDefinition(name = "Require a pinned fingerprint", description = "Checked: the tunnel never trusts a server key"
            + " on first use; the fingerprint above must be filled in (from ssh-keygen -lf on the server, or the console's"
            + " connection test). Unchecked: the container's default (framework property io.sshtunnel.fingerprint.required).",
            required = false)
    boolean fingerprint_required() default false;

    @AttributeDefinition(name = "Port mappings", description = "One per entry, seen from this machine: \"L [bind:]port:host:hostport"
            + " # label\" makes a local port reach host:hostport through the SSH server; \"R [bind:]port:host:hostport\""
            + " makes the server's port reach host:hostport on this side. \"*\" as bind address opens the port to other"
            + " hosts (gateway). \"service=ID\" after the ports names the service template it came from (e.g."
            + " \"L 1389:dc1.corp.local:389 service=ldap # LDAP\"); its endpoint service then carries mapping.service=ID.",
            cardinality = 100)
    String[] mappings() default {};

    @AttributeDefinition(name = "Keepalive (s)", description = "Interval of the keepalive probe. The connection is declared"
            + " dead after 3 unanswered probes.", min = "1", max = "3600")
    int keepalive_seconds() default 5;

    @AttributeDefinition(name = "Max reconnect delay (s)", description = "Upper bound of the reconnect back-off.",
            min = "1", max = "3600")
    int reconnect_max_seconds() default 20;

    @AttributeDefinition(name = "Connect timeout (s)", description = "For TCP connect, SSH handshake and authentication"
            + " together.", min = "1", max = "600")
    int connect_timeout_seconds() default 15;

    @AttributeDefinition(name = "Target probe (s)", description = "0: off. Otherwise, at this interval, a forwarding channel to"
            + " each L mapping's target is opened through the live connection (and each R mapping's target is connected to here),"
            + " without sending data; a target that does not answer becomes that mapping's reason (the tunnel stays UP, the"
            + " health check warns).", min = "0", max = "3600", required = false)
    int target_probe_seconds() default 0;

    /** Shown in the Web Console's list of tunnel configurations, whose PIDs are random. */
    String webconsole_configurationFactory_nameHint() default "{name} \u2192 {server.host}";
}
