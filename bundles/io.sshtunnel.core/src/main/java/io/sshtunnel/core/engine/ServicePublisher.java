package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;

/**
 * Registers one tunnel's {@link Tunnel} service while it is connected and one
 * {@link TunnelEndpoint} per working mapping. Called only from the tunnel's serial executor, so
 * framework calls never happen under a lock.
 */
final class ServicePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePublisher.class);

    private final BundleContext context;
    private ServiceRegistration<Tunnel> tunnel;
    private final Map<Integer, ServiceRegistration<TunnelEndpoint>> endpoints = new HashMap<>();

    ServicePublisher(BundleContext context) {
        this.context = context;
    }

    /** Registers, updates or unregisters the {@link Tunnel} service to match the state. */
    void tunnel(Tunnel service, TunnelSpec spec, TunnelState state) {
        if (state.isConnected()) {
            Hashtable<String, Object> props = tunnelProperties(spec);
            props.put(TUNNEL_STATE, state.name());
            if (tunnel == null) {
                tunnel = context.registerService(Tunnel.class, service, props);
            } else {
                tunnel.setProperties(props);
            }
        } else if (tunnel != null) {
            unregister(tunnel);
            tunnel = null;
        }
    }

    void endpointUp(TunnelSpec spec, MappingStatus m, TunnelEndpoint endpoint) {
        endpointDown(m.index());
        Hashtable<String, Object> props = endpointProperties(spec, m);
        endpoints.put(m.index(), context.registerService(TunnelEndpoint.class, endpoint, props));
    }

    void endpointDown(int index) {
        ServiceRegistration<TunnelEndpoint> r = endpoints.remove(index);
        if (r != null) {
            unregister(r);
        }
    }

    /**
     * Re-keys endpoint registrations after mappings moved to other indexes, and updates their
     * properties. Every moved registration is taken out before any is put back, so that one move
     * never overwrites the registration of another mapping (e.g. when two swap places).
     *
     * @param moves the new status of each moved mapping, keyed by its old index
     */
    void moveEndpoints(TunnelSpec spec, Map<Integer, MappingStatus> moves) {
        Map<Integer, ServiceRegistration<TunnelEndpoint>> taken = new HashMap<>();
        for (Integer from : moves.keySet()) {
            ServiceRegistration<TunnelEndpoint> r = endpoints.remove(from);
            if (r != null) {
                taken.put(from, r);
            }
        }
        for (Map.Entry<Integer, MappingStatus> e : moves.entrySet()) {
            ServiceRegistration<TunnelEndpoint> r = taken.get(e.getKey());
            if (r != null) {
                endpoints.put(e.getValue().index(), r);
                r.setProperties(endpointProperties(spec, e.getValue()));
            }
        }
    }

    void endpointsDown() {
        for (Integer i : endpoints.keySet().toArray(new Integer[0])) {
            endpointDown(i);
        }
    }

    void closeAll() {
        endpointsDown();
        if (tunnel != null) {
            unregister(tunnel);
            tunnel = null;
        }
    }

    boolean tunnelRegistered() {
        return tunnel != null;
    }

    int endpointCount() {
        return endpoints.size();
    }

    static Hashtable<String, Object> tunnelProperties(TunnelSpec spec) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(TUNNEL_ID, spec.id());
        p.put(TUNNEL_NAME, spec.name());
        if (spec.owner() != null) {
            p.put(TUNNEL_OWNER, spec.owner());
        }
        p.put(SSH_SERVER, spec.server());
        return p;
    }

    static Hashtable<String, Object> endpointProperties(TunnelSpec spec, MappingStatus m) {
        Hashtable<String, Object> p = tunnelProperties(spec);
        p.putAll(mappingProperties(m));
        return p;
    }

    /** The {@code mapping.*} properties of one mapping. */
    static Hashtable<String, Object> mappingProperties(MappingStatus m) {
        Hashtable<String, Object> p = new Hashtable<>();
        PortMapping mapping = m.mapping();
        p.put(MAPPING_KIND, mapping.kind().name());
        p.put(MAPPING_GATEWAY, mapping.isGateway());
        p.put(MAPPING_BIND_HOST, mapping.effectiveBindHost());
        p.put(MAPPING_BIND_PORT, mapping.bindPort());
        p.put(MAPPING_TARGET_HOST, mapping.targetHost());
        p.put(MAPPING_TARGET_PORT, mapping.targetPort());
        if (mapping.label() != null) {
            p.put(MAPPING_LABEL, mapping.label());
        }
        if (m.service() != null) {
            p.put(MAPPING_SERVICE, m.service());
        }
        return p;
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("service already unregistered", e);
        }
    }
}
