package io.sshtunnel.validation.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/** The findings' texts, from {@code Findings.properties} (English) and {@code Findings_de.properties} (German). */
final class Messages {
    private static final String BUNDLE = "io.sshtunnel.validation.internal.Findings";

    private final ConcurrentHashMap<Locale, ResourceBundle> bundles = new ConcurrentHashMap<>();

    String format(Locale locale, String key, Object... args) {
        ResourceBundle b = bundles.computeIfAbsent(locale == null ? Locale.ENGLISH : locale, this::load);
        String pattern;
        try {
            pattern = b.getString(key);
        } catch (MissingResourceException e) {
            pattern = key;
        }
        MessageFormat f = new MessageFormat(pattern, b.getLocale());
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            // numbers as written (no "1,389"), everything else as text
            plain[i] = args[i] instanceof Number ? String.valueOf(args[i]) : args[i];
        }
        return f.format(plain);
    }

    private ResourceBundle load(Locale locale) {
        // the root bundle is English; never fall back to the JVM's default locale
        return ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
