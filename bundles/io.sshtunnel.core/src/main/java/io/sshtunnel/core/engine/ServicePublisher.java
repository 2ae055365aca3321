package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executor;

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
 * {@link TunnelEndpoint} per working mapping. The framework calls run in order on an executor of
 * their own, never on the tunnel's worker and never under a lock: a consumer whose {@code @Activate}
 * takes seconds (it runs inside {@code registerService}) delays only the registrations after it,
 * not the tunnel's connection, its state or its other mappings.
 */
final class ServicePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePublisher.class);

    private final BundleContext context;
    /** Runs the framework calls one after another (the same thread at a time: the fields below are its). */
    private final Executor framework;
    private ServiceRegistration<Tunnel> tunnel;
    private final Map<Integer, ServiceRegistration<TunnelEndpoint>> endpoints = new HashMap<>();
    /** Set by {@link #closeAll}: a registration queued before it and run after it registers nothing. */
    private volatile boolean closed;

    /** Framework calls on the caller's thread (tests). */
    ServicePublisher(BundleContext context) {
        this(context, Runnable::run);
    }

    ServicePublisher(BundleContext context, Executor framework) {
        this.context = context;
        this.framework = framework;
    }

    /** Registers, updates or unregisters the {@link Tunnel} service to match the state. */
    void tunnel(Tunnel service, TunnelSpec spec, TunnelState state) {
        Hashtable<String, Object> props = tunnelProperties(spec);
        props.put(TUNNEL_STATE, state.name());
        framework.execute(() -> {
            if (closed) {
                return;
            }
            if (state.isConnected()) {
                if (tunnel == null) {
                    tunnel = context.registerService(Tunnel.class, service, props);
                } else {
                    tunnel.setProperties(props);
                }
            } else if (tunnel != null) {
                unregister(tunnel);
                tunnel = null;
            }
        });
    }

    void endpointUp(TunnelSpec spec, MappingStatus m, TunnelEndpoint endpoint) {
        Hashtable<String, Object> props = endpointProperties(spec, m);
        int index = m.index();
        framework.execute(() -> {
            if (closed) {
                return;
            }
            down(index);
            endpoints.put(index, context.registerService(TunnelEndpoint.class, endpoint, props));
        });
    }

    void endpointDown(int index) {
        framework.execute(() -> down(index));
    }

    private void down(int index) {
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
        Map<Integer, Hashtable<String, Object>> props = new HashMap<>();
        moves.forEach((from, to) -> props.put(from, endpointProperties(spec, to)));
        Map<Integer, Integer> targets = new HashMap<>();
        moves.forEach((from, to) -> targets.put(from, to.index()));
        framework.execute(() -> move(targets, props));
    }

    private void move(Map<Integer, Integer> targets, Map<Integer, Hashtable<String, Object>> props) {
        Map<Integer, ServiceRegistration<TunnelEndpoint>> taken = new HashMap<>();
        for (Integer from : targets.keySet()) {
            ServiceRegistration<TunnelEndpoint> r = endpoints.remove(from);
            if (r != null) {
                taken.put(from, r);
            }
        }
        for (Map.Entry<Integer, Integer> e : targets.entrySet()) {
            ServiceRegistration<TunnelEndpoint> r = taken.get(e.getKey());
            if (r != null) {
                endpoints.put(e.getValue(), r);
                r.setProperties(props.get(e.getKey()));
            }
        }
    }

    void endpointsDown() {
        framework.execute(this::allDown);
    }

    private void allDown() {
        for (Integer i : endpoints.keySet().toArray(new Integer[0])) {
            down(i);
        }
    }

    /**
     * Unregisters everything, after the registrations queued before; nothing queued before
     * registers later. Does not wait (it runs on the tunnel's own turn): the latch it returns opens
     * once nothing of the tunnel is registered, for the caller that closes the tunnel to await.
     */
    java.util.concurrent.CountDownLatch closeAll() {
        closed = true;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        framework.execute(() -> {
            try {
                allDown();
                if (tunnel != null) {
                    unregister(tunnel);
                    tunnel = null;
                }
            } finally {
                done.countDown();
            }
        });
        return done;
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
        if (mapping.targetHost() != null) { // a D mapping has none: its clients name their targets
            p.put(MAPPING_TARGET_HOST, mapping.targetHost());
            p.put(MAPPING_TARGET_PORT, mapping.targetPort());
        }
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
