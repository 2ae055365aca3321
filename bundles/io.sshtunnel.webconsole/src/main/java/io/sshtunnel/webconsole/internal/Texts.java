package io.sshtunnel.webconsole.internal;

import java.util.Locale;
import java.util.TreeMap;

import io.sshtunnel.common.Messages;

/**
 * The page's words in English and German, from the bundle's one set of message files
 * ({@code OSGI-INF/l10n/bundle.properties} and {@code bundle_de.properties}, which also give the
 * console's menu its title): the server's answers, the page's labels ({@code page.*}) and the
 * script's texts ({@code js.*}).
 */
final class Texts {
    static final String BASE = "OSGI-INF.l10n.bundle";
    private static final Messages MESSAGES = new Messages(BASE, Texts.class.getClassLoader());

    private Texts() {
    }

    static String get(Locale locale, String key, Object... args) {
        return MESSAGES.format(locale, key, args);
    }

    /** The patterns of every key with the prefix, the prefix taken off: what the page's script formats itself. */
    static TreeMap<String, String> patterns(Locale locale, String prefix) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String k : MESSAGES.keys(locale)) {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), MESSAGES.pattern(locale, k));
            }
        }
        return out;
    }
}
