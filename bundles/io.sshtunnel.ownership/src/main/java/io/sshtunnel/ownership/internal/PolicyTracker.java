package io.sshtunnel.ownership.internal;

import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelPolicy;

/**
 * Turns each bundle's {@value TunnelConstants#POLICY_NAMESPACE} capability into a
 * {@link TunnelPolicy} service, which the validator applies to the tunnels that bundle owns, for as
 * long as the bundle is resolved.
 */
@Component(service = {}, immediate = true)
public final class PolicyTracker implements BundleTrackerCustomizer<ServiceRegistration<TunnelPolicy>> {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyTracker.class);

    private final BundleContext context;
    private final BundleTracker<ServiceRegistration<TunnelPolicy>> tracker;

    @Activate
    public PolicyTracker(BundleContext context) {
        this.context = context;
        this.tracker = new BundleTracker<>(context, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING, this);
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    @Override
    public ServiceRegistration<TunnelPolicy> addingBundle(Bundle bundle, BundleEvent event) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<BundleCapability> caps = revision == null ? List.of() : revision.getDeclaredCapabilities(TunnelConstants.POLICY_NAMESPACE);
        if (caps.isEmpty() || bundle.getSymbolicName() == null) {
            return null;
        }
        DeclaredPolicy policy = DeclaredPolicy.of(bundle.getSymbolicName(), caps.get(0).getAttributes());
        if (policy.problem() != null) {
            LOG.error("Module \"{}\" declares a tunnel policy that cannot be read ({}): every mapping of its tunnels is refused"
                    + " until the bundle declares it correctly", bundle.getSymbolicName(), policy.problem());
        } else {
            LOG.info("Module \"{}\": {}", bundle.getSymbolicName(), policy);
        }
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(TunnelConstants.MODULE_NAME, bundle.getSymbolicName());
        return context.registerService(TunnelPolicy.class, policy, p);
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, ServiceRegistration<TunnelPolicy> registration) {
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, ServiceRegistration<TunnelPolicy> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
