package io.sshtunnel.api;

import java.util.Locale;
import java.util.Objects;

/**
 * A value the user fills in when applying a template, such as the domain controller's host name
 * ({@code dc}). Immutable.
 */
public final class Placeholder {
    private final String name;
    private final String titleEn;
    private final String titleDe;
    private final String example;

    /**
     * @param name    the key under which {@link TemplateCatalog#apply} expects the value, e.g. {@code dc}
     * @param titleEn what to fill in, in English, e.g. "Domain controller"
     * @param titleDe the same in German, e.g. "Domänencontroller"
     * @param example a value to show as a hint, e.g. {@code dc1.corp.local}
     */
    public Placeholder(String name, String titleEn, String titleDe, String example) {
        this.name = Objects.requireNonNull(name, "name");
        this.titleEn = Objects.requireNonNull(titleEn, "titleEn");
        this.titleDe = titleDe == null ? titleEn : titleDe;
        this.example = example;
    }

    public String name() {
        return name;
    }

    /** What to fill in, in English or, for a German locale, in German. */
    public String title(Locale locale) {
        return locale != null && "de".equals(locale.getLanguage()) ? titleDe : titleEn;
    }

    /** An example value, or {@code null}. */
    public String example() {
        return example;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placeholder && ((Placeholder) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
