package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelValidator;

/**
 * The {@link TunnelValidator} service: the rules of {@link Rules}, the module policies registered
 * as {@link TunnelPolicy} services, and the engine's view of which ports its own tunnels hold.
 *
 * <p>The service is registered by hand so that its property {@value #POLICY_GENERATION} can change
 * after a policy came or went: users of the validator (the engine) learn that its answers changed
 * only once it already knows the new policies.
 */
@Component(service = {}, immediate = true)
public final class ValidatorComponent implements TunnelValidator {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorComponent.class);
    /** Service property counting policy changes; consumers re-validate when it changes. */
    static final String POLICY_GENERATION = "policy.generation";

    private final Messages messages = new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader());
    private volatile Rules rules = new Rules(messages, Privileges.ofThisProcess(), PortProbe.bySocket());
    private final List<TunnelPolicy> policies = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile TunnelRuntime runtime;
    private volatile ServiceRegistration<TunnelValidator> registration;

    public ValidatorComponent() {
    }

    @Activate
    void activate(BundleContext context) {
        rules = new Rules(messages, Privileges.ofThisProcess(), PortProbe.bySocket(), AdminPorts.of(context::getProperty));
        registration = context.registerService(TunnelValidator.class, this, properties());
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<TunnelValidator> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    private Hashtable<String, Object> properties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(POLICY_GENERATION, generation.get());
        return p;
    }

    private void policiesChanged() {
        generation.incrementAndGet();
        ServiceRegistration<TunnelValidator> r = registration;
        if (r != null) {
            try {
                r.setProperties(properties());
            } catch (IllegalStateException e) {
                // unregistered meanwhile
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(TunnelPolicy policy) {
        policies.add(policy);
        policiesChanged();
    }

    void removePolicy(TunnelPolicy policy) {
        policies.remove(policy);
        policiesChanged();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRuntime(TunnelRuntime r) {
        runtime = r;
    }

    void unsetRuntime(TunnelRuntime r) {
        if (runtime == r) {
            runtime = null;
        }
    }

    @Override
    public List<Finding> validate(TunnelSpec candidate, Collection<TunnelSpec> others, Locale locale) {
        try {
            List<TunnelPolicy> applicable = candidate.owner() == null ? List.of()
                    : policies.stream().filter(p -> candidate.owner().equals(p.module())).collect(Collectors.toList());
            return rules.check(candidate, others, locale, applicable, this::heldByItself);
        } catch (RuntimeException e) {
            LOG.error("Validation of tunnel \"{}\" failed", candidate.name(), e);
            return List.of(new Finding(Severity.ERROR, FindingCodes.INTERNAL, TunnelConstants.NAME, Finding.NO_MAPPING,
                    messages.format(locale, "INTERNAL", e.getClass().getSimpleName())));
        }
    }

    /**
     * Whether the tunnel itself may hold this port: it is running (connecting, connected or
     * retrying) with an {@code L} mapping on it. Its listener then makes the port look taken, and
     * a port taken by anyone else shows up as that mapping's failure with its reason anyway.
     */
    private boolean heldByItself(String id, Integer port) {
        TunnelRuntime r = runtime;
        if (r == null) {
            return false;
        }
        return r.tunnels().stream().filter(s -> Objects.equals(s.id(), id))
                .filter(s -> s.state() != TunnelState.INVALID && s.state() != TunnelState.DISABLED && s.state() != TunnelState.FAILED)
                .flatMap(s -> s.spec().mappings().stream())
                .anyMatch(m -> m.kind().listensHere() && m.bindPort() == port);
    }
}
