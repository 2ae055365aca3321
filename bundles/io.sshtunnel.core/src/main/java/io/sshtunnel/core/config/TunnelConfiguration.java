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
        localization = "OSGI-INF/l10n/bundle",
        name = "%metatype.tunnel.name",
        description = "%metatype.tunnel.description")
public @interface TunnelConfiguration {

    @AttributeDefinition(name = "%metatype.name.name", description = "%metatype.name.description")
    String name() default "";

    @AttributeDefinition(name = "%metatype.enabled.name", description = "%metatype.enabled.description")
    boolean enabled() default true;

    @AttributeDefinition(name = "%metatype.owner.name", description = "%metatype.owner.description")
    String owner() default "";

    @AttributeDefinition(name = "%metatype.server.host.name", description = "%metatype.server.host.description")
    String server_host() default "";

    @AttributeDefinition(name = "%metatype.server.port.name", description = "%metatype.server.port.description", min = "1", max = "65535")
    int server_port() default 22;

    @AttributeDefinition(name = "%metatype.username.name", description = "%metatype.username.description")
    String username() default "";

    @AttributeDefinition(name = "%metatype.password.name", description = "%metatype.password.description",
            type = AttributeType.PASSWORD, required = false)
    String password() default "";

    @AttributeDefinition(name = "%metatype.private.key.path.name", description = "%metatype.private.key.path.description", required = false)
    String private_key_path() default "";

    @AttributeDefinition(name = "%metatype.certificate.path.name", description = "%metatype.certificate.path.description",
            required = false)
    String certificate_path() default "";

    @AttributeDefinition(name = "%metatype.private.key.passphrase.name", description = "%metatype.private.key.passphrase.description",
            type = AttributeType.PASSWORD, required = false)
    String private_key_passphrase() default "";

    @AttributeDefinition(name = "%metatype.fingerprint.name", description = "%metatype.fingerprint.description", required = false)
    String fingerprint() default "";

    @AttributeDefinition(name = "%metatype.fingerprint.required.name", description = "%metatype.fingerprint.required.description",
            required = false)
    boolean fingerprint_required() default false;

    @AttributeDefinition(name = "%metatype.mappings.name", description = "%metatype.mappings.description",
            cardinality = 100)
    String[] mappings() default {};

    @AttributeDefinition(name = "%metatype.keepalive.seconds.name", description = "%metatype.keepalive.seconds.description", min = "1", max = "3600")
    int keepalive_seconds() default 5;

    @AttributeDefinition(name = "%metatype.reconnect.max.seconds.name", description = "%metatype.reconnect.max.seconds.description",
            min = "1", max = "3600")
    int reconnect_max_seconds() default 20;

    @AttributeDefinition(name = "%metatype.connect.timeout.seconds.name", description = "%metatype.connect.timeout.seconds.description", min = "1", max = "600")
    int connect_timeout_seconds() default 15;

    @AttributeDefinition(name = "%metatype.target.probe.seconds.name", description = "%metatype.target.probe.seconds.description", min = "0", max = "3600", required = false)
    int target_probe_seconds() default 0;

    @AttributeDefinition(name = "%metatype.via.name", description = "%metatype.via.description", required = false)
    String via() default "";

    @AttributeDefinition(name = "%metatype.proxy.name", description = "%metatype.proxy.description", required = false)
    String proxy() default "";

    @AttributeDefinition(name = "%metatype.proxy.username.name", description = "%metatype.proxy.username.description", required = false)
    String proxy_username() default "";

    @AttributeDefinition(name = "%metatype.proxy.password.name", description = "%metatype.proxy.password.description",
            type = AttributeType.PASSWORD, required = false)
    String proxy_password() default "";

    /** Shown in the Web Console's list of tunnel configurations, whose PIDs are random. */
    String webconsole_configurationFactory_nameHint() default "{name} \u2192 {server.host}";
}
