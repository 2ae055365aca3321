package io.sshtunnel.itest.templates;

import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.MappingTemplate;
import io.sshtunnel.api.Placeholder;
import io.sshtunnel.api.TemplateCategory;
import io.sshtunnel.api.TemplateDefinition;
import io.sshtunnel.api.TunnelTemplate;

/**
 * A service template contributed by another bundle: registering a {@link TunnelTemplate} service
 * is all it takes; the template catalog lists it while this bundle is active.
 */
@Component(service = TunnelTemplate.class)
public final class CrmTemplate implements TunnelTemplate {
    private static final TunnelTemplate CRM = TemplateDefinition.builder("crm", TemplateCategory.DATABASE)
            .title("CRM database", "CRM-Datenbank")
            .description("This machine reaches the CRM's SQL Server at 127.0.0.1:11433.",
                    "Dieser Rechner erreicht den SQL-Server des CRM unter 127.0.0.1:11433.")
            .mapping(MappingTemplate.toPlaceholder(MappingKind.L, false, 11433,
                    new Placeholder("crm", "CRM database server", "CRM-Datenbankserver", "crm.corp.local"), 1433, "CRM", "crm"))
            .build();

    @Override
    public String id() {
        return CRM.id();
    }

    @Override
    public String title(Locale locale) {
        return CRM.title(locale);
    }

    @Override
    public String description(Locale locale) {
        return CRM.description(locale);
    }

    @Override
    public TemplateCategory category() {
        return CRM.category();
    }

    @Override
    public List<MappingTemplate> mappings() {
        return CRM.mappings();
    }
}
