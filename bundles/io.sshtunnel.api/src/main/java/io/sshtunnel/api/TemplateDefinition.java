package io.sshtunnel.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link TunnelTemplate} made of fixed values, for bundles that contribute templates:
 *
 * <pre>
 * context.registerService(TunnelTemplate.class,
 *     TemplateDefinition.builder("crm", TemplateCategory.DATABASE)
 *         .title("CRM database", "CRM-Datenbank")
 *         .description("The CRM's SQL Server.", "Der SQL-Server des CRM.")
 *         .mapping(MappingTemplate.toPlaceholder(MappingKind.L, false, 11433,
 *             new Placeholder("crm", "CRM database server", "CRM-Datenbankserver", "crm.corp.local"), 1433, "CRM", "crm"))
 *         .build(), null);
 * </pre>
 *
 * Immutable.
 */
public final class TemplateDefinition implements TunnelTemplate {
    private final String id;
    private final TemplateCategory category;
    private final String titleEn;
    private final String titleDe;
    private final String descriptionEn;
    private final String descriptionDe;
    private final List<MappingTemplate> mappings;

    private TemplateDefinition(Builder b) {
        this.id = b.id;
        this.category = b.category;
        this.titleEn = Objects.requireNonNull(b.titleEn, "title");
        this.titleDe = b.titleDe == null ? b.titleEn : b.titleDe;
        this.descriptionEn = b.descriptionEn == null ? "" : b.descriptionEn;
        this.descriptionDe = b.descriptionDe == null ? this.descriptionEn : b.descriptionDe;
        if (b.mappings.isEmpty()) {
            throw new IllegalArgumentException("template " + id + " has no mapping");
        }
        this.mappings = List.copyOf(b.mappings);
    }

    /**
     * @throws IllegalArgumentException when the id is not a service id ({@link PortMapping#isServiceId(String)})
     */
    public static Builder builder(String id, TemplateCategory category) {
        if (!PortMapping.isServiceId(id)) {
            throw new IllegalArgumentException("template id \"" + id + "\" is not lower-case letters, digits, '.', '-' and '_'");
        }
        return new Builder(id, Objects.requireNonNull(category, "category"));
    }

    private static boolean german(Locale locale) {
        return locale != null && "de".equals(locale.getLanguage());
    }

    @Override
    public String id() { return id; }
    @Override
    public String title(Locale locale) { return german(locale) ? titleDe : titleEn; }
    @Override
    public String description(Locale locale) { return german(locale) ? descriptionDe : descriptionEn; }
    @Override
    public TemplateCategory category() { return category; }
    @Override
    public List<MappingTemplate> mappings() { return mappings; }

    @Override
    public String toString() {
        return id + " " + mappings;
    }

    /** Builds a {@link TemplateDefinition}. */
    public static final class Builder {
        private final String id;
        private final TemplateCategory category;
        private String titleEn;
        private String titleDe;
        private String descriptionEn;
        private String descriptionDe;
        private final List<MappingTemplate> mappings = new ArrayList<>();

        private Builder(String id, TemplateCategory category) {
            this.id = id;
            this.category = category;
        }

        public Builder title(String english, String german) { titleEn = english; titleDe = german; return this; }
        public Builder description(String english, String german) { descriptionEn = english; descriptionDe = german; return this; }
        public Builder mapping(MappingTemplate m) { mappings.add(Objects.requireNonNull(m, "mapping")); return this; }

        public TemplateDefinition build() {
            return new TemplateDefinition(this);
        }
    }
}
