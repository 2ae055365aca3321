package io.sshtunnel.common;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why something is as it is, in words an operator reads: a key of the message files of the
 * bundle this class is copied into ({@code OSGI-INF/l10n/bundle.properties} and
 * {@code bundle_de.properties}, the files Metatype and the Web Console read too) with its values.
 * Logs and events carry {@link #english()}; the page and the JSON ask {@link #in(Locale)}. A value that is itself a reason is put in the same language. A text
 * from elsewhere (a library's message) is a {@link #literal(String)} and stays as it is. Immutable.
 */
public final class Reason {
    private static final Messages TEXTS = new Messages("OSGI-INF.l10n.bundle", Reason.class.getClassLoader());

    private final String english;
    private final Function<Locale, String> translated;

    private Reason(String english, Function<Locale, String> translated) {
        this.english = english;
        this.translated = translated;
    }

    /** The text of the key with its values, e.g. {@code of("reason.refused", "host (1.2.3.4):22")}. */
    public static Reason of(String key, Object... values) {
        Object[] args = Objects.requireNonNull(values, "values").clone();
        Function<Locale, String> f = locale -> {
            Object[] shown = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                shown[i] = args[i] instanceof Reason ? ((Reason) args[i]).in(locale) : args[i];
            }
            return TEXTS.format(locale, Objects.requireNonNull(key, "key"), shown);
        };
        return new Reason(f.apply(Locale.ENGLISH), f);
    }

    /** A text from elsewhere that can say itself in other languages; {@code null} stays {@code null}. */
    public static Reason translated(String english, Function<Locale, String> in) {
        return english == null ? null : new Reason(english, in);
    }

    /** A text that is the same in every language; {@code null} stays {@code null}. */
    public static Reason literal(String text) {
        return text == null ? null : new Reason(text, null);
    }

    /** The parts one after the other, with the separator between them, each in the language asked for. */
    public static Reason join(String separator, List<Reason> parts) {
        List<Reason> all = List.copyOf(parts);
        Function<Locale, String> f = locale -> all.stream().map(r -> r.in(locale)).collect(Collectors.joining(separator));
        return new Reason(f.apply(Locale.ENGLISH), f);
    }

    public String english() {
        return english;
    }

    /** The reason in the language of the locale (German or English). */
    public String in(Locale locale) {
        return translated == null || locale == null || Locale.ENGLISH.getLanguage().equals(locale.getLanguage())
                ? english : translated.apply(locale);
    }

    /** The English text of a reason that may be {@code null}. */
    public static String english(Reason r) {
        return r == null ? null : r.english;
    }

    /** Reasons are equal when they say the same in English. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Reason && english.equals(((Reason) o).english);
    }

    @Override
    public int hashCode() {
        return english.hashCode();
    }

    @Override
    public String toString() {
        return english;
    }
}
