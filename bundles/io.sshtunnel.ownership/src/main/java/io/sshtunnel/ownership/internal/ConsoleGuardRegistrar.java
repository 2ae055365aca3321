package io.sshtunnel.ownership.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.TunnelRuntime;

/**
 * Registers the {@link ConsoleGuard} as the Web Console's {@code ConfigurationHandler} when this
 * bundle is wired to the console's SPI package (an optional import): without a Web Console the
 * bundle works the same, and nothing tries to load the console's classes.
 */
@Component(service = {}, immediate = true)
public final class ConsoleGuardRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGuardRegistrar.class);
    static final String SPI = "org.apache.felix.webconsole.spi.ConfigurationHandler";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TunnelRuntime runtime;
    private final ServiceRegistration<?> registration;

    @Activate
    public ConsoleGuardRegistrar(BundleContext context, @Reference ConfigurationAdmin cm) {
        ServiceRegistration<?> r = null;
        if (spiWired()) {
            r = context.registerService(SPI, new ConsoleGuard(cm, () -> runtime), null);
        } else {
            LOG.info("No Felix Web Console 5 SPI wired: module tunnels are not guarded in the console (there is none)");
        }
        this.registration = r;
    }

    private static boolean spiWired() {
        try {
            Class.forName(SPI, false, ConsoleGuardRegistrar.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
    }
}
