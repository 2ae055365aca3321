package io.sshtunnel.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service template: the mappings a common service needs, such as {@code ldap} for Active
 * Directory. The templates bundle offers the built-in ones through the {@link TemplateCatalog};
 * another bundle adds its own by registering a {@code TunnelTemplate} service (whiteboard), for
 * instance one built with {@link TemplateDefinition#builder(String, TemplateCategory)}. It
 * appears in the catalog while the service is registered.
 */
@ConsumerType
public interface TunnelTemplate {
    /** A stable id, lower-case (see {@link PortMapping#isServiceId(String)}), e.g. {@code ldap}. */
    String id();

    /** A short title in the locale's language (English and German at least), e.g. "Active Directory (LDAP)". */
    String title(Locale locale);

    /** One or two sentences on what the template is for. */
    String description(Locale locale);

    TemplateCategory category();

    /** The mappings it inserts, at least one. */
    List<MappingTemplate> mappings();

    /** The values the user fills in, in the order of their first use. */
    default Set<Placeholder> placeholders() {
        Set<Placeholder> out = new LinkedHashSet<>();
        for (MappingTemplate m : mappings()) {
            if (m.placeholder() != null) {
                out.add(m.placeholder());
            }
        }
        return out;
    }
}
