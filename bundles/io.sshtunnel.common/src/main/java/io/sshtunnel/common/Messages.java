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
        return new MessageFormat(pattern, b.getLocale() == null || b.getLocale().getLanguage().isEmpty() ? locale : b.getLocale()).format(plain);
    }

    private ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(baseName, locale, loader, MERGED);
    }

    /** The keys of the files for this language (and of the English root, for keys it lacks), read as UTF-8. */
    public java.util.Set<String> keys(Locale locale) {
        return bundles.computeIfAbsent(locale == null ? Locale.ENGLISH : locale, this::load).keySet();
    }

    /** The pattern of a key as written (for a script that formats it itself), or the key when it is missing. */
    public String pattern(Locale locale, String key) {
        try {
            return bundles.computeIfAbsent(locale == null ? Locale.ENGLISH : locale, this::load).getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    private static final ResourceBundle.Control MERGED = new Merged();

    /**
     * Properties files read as UTF-8 ({@code \\u} escapes too), no fallback to the JVM's locale,
     * and every file of the name the loader sees merged, the first one winning: in a bundle that
     * is its own file; on a test's class path, where several bundles' {@code OSGI-INF/l10n/bundle}
     * files meet, each key is found in whichever has it.
     */
    private static final class Merged extends ResourceBundle.Control {
        @Override
        public java.util.List<String> getFormats(String baseName) {
            return FORMAT_PROPERTIES;
        }

        @Override
        public Locale getFallbackLocale(String baseName, Locale locale) {
            return null;
        }

        @Override
        public ResourceBundle newBundle(String baseName, Locale locale, String format, ClassLoader loader, boolean reload)
                throws java.io.IOException {
            String resource = toResourceName(toBundleName(baseName, locale), "properties");
            java.util.List<java.net.URL> urls = java.util.Collections.list(loader.getResources(resource));
            if (urls.isEmpty()) {
                return null;
            }
            java.util.Properties all = new java.util.Properties();
            for (int i = urls.size() - 1; i >= 0; i--) {
                java.util.Properties one = new java.util.Properties();
                try (java.io.Reader r = new java.io.InputStreamReader(urls.get(i).openStream(), java.nio.charset.StandardCharsets.UTF_8)) {
                    one.load(r);
                }
                all.putAll(one);
            }
            return new ResourceBundle() {
                @Override
                protected Object handleGetObject(String key) {
                    return all.getProperty(key);
                }

                @Override
                public java.util.Enumeration<String> getKeys() {
                    java.util.Set<String> keys = new java.util.HashSet<>(all.stringPropertyNames());
                    if (parent != null) {
                        keys.addAll(java.util.Collections.list(parent.getKeys()));
                    }
                    return java.util.Collections.enumeration(keys);
                }
            };
        }
    }
}
