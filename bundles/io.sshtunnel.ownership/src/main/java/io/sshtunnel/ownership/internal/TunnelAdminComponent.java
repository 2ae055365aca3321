package io.sshtunnel.ownership.internal;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.TunnelAdmin;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelModule;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelStatus;

/**
 * The {@link TunnelAdmin} of one module: Declarative Services makes one instance per bundle that
 * gets the service (bundle scope) and deactivates it when that bundle's last user lets it go. While
 * it lives, the module is active: it registers the module's {@link TunnelModule}, which lets the
 * engine run the module's tunnels.
 */
@Component(service = TunnelAdmin.class, scope = ServiceScope.BUNDLE)
public final class TunnelAdminComponent implements TunnelAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelAdminComponent.class);

    private final String module;
    private final Ownership ownership;
    private final ServiceRegistration<TunnelModule> active;

    @Activate
    public TunnelAdminComponent(ComponentContext context, @Reference Ownership ownership) {
        Bundle user = context.getUsingBundle();
        this.module = user.getSymbolicName();
        this.ownership = ownership;
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(TunnelConstants.MODULE_NAME, module);
        String name = module;
        this.active = context.getBundleContext().registerService(TunnelModule.class, () -> name, p);
        LOG.info("Module \"{}\" holds the tunnel admin service: its tunnels may run", module);
    }

    @Deactivate
    void deactivate() {
        try {
            active.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
        LOG.info("Module \"{}\" released the tunnel admin service: its tunnels are disabled until it is back", module);
    }

    @Override
    public String module() {
        return module;
    }

    @Override
    public List<TunnelStatus> tunnels() {
        return ownership.tunnels();
    }

    @Override
    public Optional<TunnelStatus> tunnel(String name) {
        return ownership.tunnel(name);
    }

    @Override
    public String create(TunnelRequest request) {
        return ownership.create(module, request);
    }

    @Override
    public void update(String name, TunnelRequest request) {
        ownership.update(module, name, request);
    }

    @Override
    public io.sshtunnel.api.TunnelAdministration.Saved put(TunnelRequest request) {
        return ownership.put(module, request);
    }

    @Override
    public String applyTemplate(TunnelRequest request, String templateId, Map<String, String> values) {
        return ownership.applyTemplate(module, request, templateId, values);
    }

    @Override
    public void setEnabled(String name, boolean enabled) {
        ownership.setEnabled(module, name, enabled);
    }

    @Override
    public void delete(String name) {
        ownership.delete(module, name);
    }
}
