package io.sshtunnel.common;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Texts from one bundle's message files ({@code NAME.properties}, English, and e.g.
 * {@code NAME_de.properties}), formatted with {@link MessageFormat}. English is the root: a missing
 * language falls back to it, never to the JVM's default locale. Numbers are printed as written
 * ("1389", not "1,389"); a missing key prints the key.
 */
public final class Messages {
    private final String baseName;
    private final ClassLoader loader;
    private final ConcurrentHashMap<Locale, ResourceBundle> bundles = new ConcurrentHashMap<>();

    /**
     * @param baseName the message files' base name, e.g. {@code io.sshtunnel.validation.internal.Findings}
     * @param loader the class loader that sees them (the bundle's own)
     */
    public Messages(String baseName, ClassLoader loader) {
        this.baseName = baseName;
        this.loader = loader;
    }

    public String format(Locale locale, String key, Object... args) {
        ResourceBundle b = bundles.computeIfAbsent(locale == null ? Locale.ENGLISH : locale, this::load);
        String pattern;
        try {
            pattern = b.getString(key);
        } catch (MissingResourceException e) {
            pattern = key;
        }
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = args[i] instanceof Number ? String.valueOf(args[i]) : args[i];
        }
        return new MessageFormat(pattern, b.getLocale()).format(plain);
    }

    private ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(baseName, locale, loader,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
