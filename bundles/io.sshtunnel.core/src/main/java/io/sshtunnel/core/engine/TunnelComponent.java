package io.sshtunnel.core.engine;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.core.config.TunnelConfiguration;

/**
 * One instance per factory configuration {@code io.sshtunnel.tunnel}: hands its properties to the
 * engine on activation and on every change, and takes the tunnel down on deactivation. Changes
 * apply without deactivation, so adding a mapping does not drop the others.
 */
@Component(configurationPid = TunnelConstants.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TunnelConfiguration.class, factory = true)
public final class TunnelComponent {
    private final TunnelEngine engine;
    private final String pid;

    @Activate
    public TunnelComponent(BundleContext context, Map<String, Object> properties, @Reference TunnelEngine engine) {
        this.engine = engine;
        this.pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        engine.open(context, pid, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        engine.update(pid, properties);
    }

    @Deactivate
    void deactivate() {
        engine.close(pid);
    }
}
