package io.sshtunnel.core.engine;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.mockito.Mockito;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A Mockito-mocked {@link BundleContext} whose {@code registerService} hands out mocked
 * {@link ServiceRegistration}s and remembers what is registered, with which properties, until it
 * is unregistered, so tests can assert what a consumer of the registry would see. Like the
 * framework, a second {@code unregister()} or a {@code setProperties} after it throws
 * {@link IllegalStateException}.
 */
final class FakeRegistry {
    /** One registration, as the framework would hold it. */
    static final class Reg {
        final Class<?> type;
        final Object service;
        final ServiceRegistration<?> registration;
        Map<String, Object> properties;
        boolean unregistered;
        int updates;

        Reg(Class<?> type, Object service, Map<String, Object> properties, ServiceRegistration<?> registration) {
            this.type = type;
            this.service = service;
            this.properties = properties;
            this.registration = registration;
        }

        Object get(String key) {
            return properties.get(key);
        }

        @Override
        public String toString() {
            return type.getSimpleName() + (unregistered ? " (unregistered) " : " ") + properties;
        }
    }

    final BundleContext context;
    private final List<Reg> all = Collections.synchronizedList(new ArrayList<>());

    FakeRegistry() {
        context = mock(BundleContext.class, invocation -> {
            if (invocation.getMethod().getName().equals("registerService")
                    && invocation.getArgument(0) instanceof Class) {
                return register(invocation.getArgument(0), invocation.getArgument(1), invocation.getArgument(2));
            }
            return Mockito.RETURNS_DEFAULTS.answer(invocation);
        });
    }

    private ServiceRegistration<?> register(Class<?> type, Object service, Dictionary<String, ?> props) {
        ServiceRegistration<?> registration = mock(ServiceRegistration.class);
        Reg reg = new Reg(type, service, copy(props), registration);
        doAnswer(inv -> {
            if (reg.unregistered) {
                throw new IllegalStateException("already unregistered");
            }
            reg.properties = copy(inv.getArgument(0));
            reg.updates++;
            return null;
        }).when(registration).setProperties(any());
        doAnswer(inv -> {
            if (reg.unregistered) {
                throw new IllegalStateException("already unregistered");
            }
            reg.unregistered = true;
            return null;
        }).when(registration).unregister();
        all.add(reg);
        return registration;
    }

    private static Map<String, Object> copy(Dictionary<String, ?> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                m.put(k, d.get(k));
            }
        }
        return m;
    }

    /** Every registration ever made, in order. */
    List<Reg> history() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    /** The registrations of that type that are still registered. */
    List<Reg> live(Class<?> type) {
        return history().stream().filter(r -> r.type == type && !r.unregistered).collect(Collectors.toList());
    }

    /** The only live registration of that type; fails when there is none or several. */
    Reg only(Class<?> type) {
        List<Reg> l = live(type);
        if (l.size() != 1) {
            throw new AssertionError("expected one live " + type.getSimpleName() + ", found " + l);
        }
        return l.get(0);
    }

    /** The live registration of that type whose property has that value. */
    Reg live(Class<?> type, String key, Object value) {
        List<Reg> l = live(type).stream().filter(r -> value.equals(r.get(key))).collect(Collectors.toList());
        if (l.size() != 1) {
            throw new AssertionError("expected one live " + type.getSimpleName() + " with " + key + "=" + value + ", found "
                    + l + " among " + live(type));
        }
        return l.get(0);
    }
}
