package io.sshtunnel.itest.directory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.TunnelAdmin;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelRequest;

/**
 * A module that owns a tunnel: while its configuration exists it holds the {@link TunnelAdmin}
 * service, creates its tunnel (or brings it up to date), and the tunnel runs; when the
 * configuration is deleted or the bundle stops, it lets the service go and its tunnel is disabled.
 */
@Component(configurationPid = "io.sshtunnel.itest.directory", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DirectoryModule.Config.class)
public final class DirectoryModule {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryModule.class);

    @ObjectClassDefinition(name = "Directory module (example)")
    public @interface Config {
        @AttributeDefinition(description = "Name of the module's tunnel")
        String tunnel() default "directory";

        @AttributeDefinition(description = "SSH server")
        String server_host() default "127.0.0.1";

        int server_port() default 22;

        String username();

        @AttributeDefinition(type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Private key file, instead of a password")
        String private_key_path() default "";

        @AttributeDefinition(description = "The mapping, e.g. L 1389:dc1.corp.local:389 service=ldap")
        String mapping();
    }

    private final TunnelAdmin admin;

    @Activate
    public DirectoryModule(@Reference TunnelAdmin admin, Config config) {
        this.admin = admin;
        apply(config);
    }

    @Modified
    void modified(Config config) {
        apply(config);
    }

    private void apply(Config config) {
        TunnelRequest request = TunnelRequest.builder(config.tunnel())
                .server(config.server_host(), config.server_port())
                .username(config.username())
                .password(config.password().isEmpty() ? null : config.password())
                .privateKey(config.private_key_path().isEmpty() ? null : config.private_key_path(), null)
                .mappings(config.mapping()).keepaliveSeconds(1).reconnectMaxSeconds(2).build();
        try {
            // created the first time, brought up to date later; nothing written when nothing changed
            io.sshtunnel.api.TunnelAdministration.Saved saved = admin.put(request);
            saved.findings().forEach(f -> LOG.warn("The directory's tunnel: {}", f.message()));
        } catch (TunnelAdminException e) {
            LOG.error("The directory's tunnel was refused: {}", e.getMessage());
        }
    }
}
