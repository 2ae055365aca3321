package io.sshtunnel.ownership.internal;

import static io.sshtunnel.api.TunnelConstants.OWNER;

import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import io.sshtunnel.api.TunnelAdministration;

/**
 * The administrator's side of the tunnel admin service: the page, the shell and the Karaf page
 * change tunnels only through it. The rules and the writing are {@link Ownership}'s, shared with
 * the modules' {@link TunnelAdminComponent}; here the caller is the administrator.
 */
@Component(service = TunnelAdministration.class)
public final class Administration implements TunnelAdministration {
    /** How the log names who changed a tunnel. */
    static final String WHO = "The administrator";

    private final Ownership ownership;

    @Activate
    public Administration(@Reference Ownership ownership) {
        this.ownership = ownership;
    }

    @Override
    public List<StoredTunnel> configurations() {
        return ownership.configurations();
    }

    @Override
    public Optional<StoredTunnel> configuration(String id) {
        return ownership.configuration(id);
    }

    @Override
    public Optional<StoredTunnel> configurationNamed(String name) {
        return ownership.configurationNamed(name);
    }

    @Override
    public Saved create(Map<String, ?> properties, Locale locale) {
        return inLanguage(locale, () -> {
            Hashtable<String, Object> p = properties(properties);
            return ownership.create(p, WHO, locale);
        });
    }

    @Override
    public Saved update(String id, long version, Map<String, ?> properties, Locale locale) {
        return inLanguage(locale, () -> {
            org.osgi.service.cm.Configuration c = ownership.administrators(id, "change");
            Hashtable<String, Object> p = properties(properties);
            Ownership.nameOf(p); // an update names its tunnel, as a create does
            return ownership.replace(c, version, stored -> p, WHO, "updated", true, locale);
        });
    }

    @Override
    public Saved setEnabled(String id, boolean enabled, Locale locale) {
        return inLanguage(locale,
                () -> ownership.setEnabled(ownership.administrators(id, enabled ? "enable" : "disable"), enabled, WHO, locale));
    }

    @Override
    public void delete(String id) {
        delete(id, Locale.ENGLISH);
    }

    @Override
    public void delete(String id, Locale locale) {
        inLanguage(locale, () -> {
            org.osgi.service.cm.Configuration c = ownership.administrators(id, "delete");
            String owner = Ownership.ownerOf(c.getProperties());
            ownership.delete(c, owner == null ? WHO : WHO + " (module \"" + owner + "\" is no longer installed)");
            return null;
        });
    }

    /** Our own refusals in the administrator's language (the validators' findings already are). */
    private static <T> T inLanguage(Locale locale, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (Ownership.Refused r) {
            throw r.in(locale);
        }
    }

    /** The caller's properties; an administrator's tunnel has no owner and is made from no file. */
    private static Hashtable<String, Object> properties(Map<String, ?> properties) {
        Hashtable<String, Object> p = new Hashtable<>();
        properties.forEach((k, v) -> {
            if (k != null && v != null) {
                p.put(k, v);
            }
        });
        p.remove(OWNER);
        p.remove(Ownership.FILE);
        return Ownership.withoutBookkeeping(p);
    }
}
