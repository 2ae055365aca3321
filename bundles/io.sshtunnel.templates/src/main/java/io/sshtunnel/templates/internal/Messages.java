package io.sshtunnel.templates.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/** The texts of template findings, from {@code Findings.properties} (English) and {@code Findings_de.properties} (German). */
final class Messages {
    private static final String BUNDLE = "io.sshtunnel.templates.internal.Findings";

    private final ConcurrentHashMap<Locale, ResourceBundle> bundles = new ConcurrentHashMap<>();

    String format(Locale locale, String key, Object... args) {
        ResourceBundle b = bundles.computeIfAbsent(locale == null ? Locale.ENGLISH : locale, this::load);
        String pattern;
        try {
            pattern = b.getString(key);
        } catch (MissingResourceException e) {
            pattern = key;
        }
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = args[i] instanceof Number ? String.valueOf(args[i]) : args[i]; // "1389", not "1,389"
        }
        return new MessageFormat(pattern, b.getLocale()).format(plain);
    }

    private ResourceBundle load(Locale locale) {
        // the root bundle is English; never fall back to the JVM's default locale
        return ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
