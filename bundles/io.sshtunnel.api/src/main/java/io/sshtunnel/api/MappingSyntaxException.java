package io.sshtunnel.api;

/**
 * A port mapping entry could not be parsed. The message quotes the entry, says what is
 * wrong and how to write it instead.
 */
public class MappingSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient java.util.function.Function<java.util.Locale, String> translated;

    public MappingSyntaxException(String message) {
        super(message);
        this.translated = null;
    }

    MappingSyntaxException(io.sshtunnel.common.Reason reason) {
        super(reason.english());
        this.translated = reason::in;
    }

    /**
     * The message in the language of the locale (German or English); {@link #getMessage()} is the
     * English one.
     *
     * @since 1.5
     */
    public String getMessage(java.util.Locale locale) {
        return translated == null || locale == null ? getMessage() : translated.apply(locale);
    }
}
