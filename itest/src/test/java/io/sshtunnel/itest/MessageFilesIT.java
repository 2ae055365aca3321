package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * Every text the product shows exists in English and German: each bundle's message files have the
 * same keys in both languages, with the same values ({@code {0}}) in each, and read as
 * MessageFormat patterns; every key the code, the page and its script ask for is in the files.
 */
public class MessageFilesIT {
    private static final Path BUNDLES = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize()
            .resolve("bundles");
    private static final Pattern ARG = Pattern.compile("\\{(\\d+)[^}]*\\}");
    /** Keys our code asks for by name: Reason.of("...") in the engine, Texts.get(..., "...") on the page, ternaries of both. */
    private static final Pattern CODE_KEY = Pattern.compile("\"((?:reason|key|test|config|msg|page|js|own|syntax)\\.[A-Za-z0-9.]+)\"");
    private static final Pattern PAGE_KEY = Pattern.compile("\\{\\{([A-Za-z0-9.]+)\\}\\}");
    private static final Pattern SCRIPT_KEY = Pattern.compile("\\bt\\('([A-Za-z0-9.]+)'");
    private static final Pattern METATYPE_KEY = Pattern.compile("\"%([A-Za-z0-9.]+)\"");

    private static List<Path> files(String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(BUNDLES)) {
            all.filter(p -> p.toString().contains("/src/main/") && p.getFileSystem().getPathMatcher("glob:" + glob).matches(p))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static Set<String> args(String pattern) {
        Set<String> out = new TreeSet<>();
        Matcher m = ARG.matcher(pattern);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    public void everyMessageHasBothLanguagesWithTheSameValues() throws IOException {
        List<Path> german = files("**/*_de.properties");
        assertTrue("message files found under " + BUNDLES, german.size() >= 4);
        for (Path de : german) {
            Path en = de.resolveSibling(de.getFileName().toString().replace("_de.properties", ".properties"));
            assertTrue(en + " exists beside " + de, Files.isRegularFile(en));
            Properties e = load(en);
            Properties d = load(de);
            assertEquals("the keys of " + de + " and " + en, new TreeSet<>(e.stringPropertyNames()), new TreeSet<>(d.stringPropertyNames()));
            for (String key : e.stringPropertyNames()) {
                if (key.startsWith("metatype.")) {
                    continue; // read by Metatype as they are, not as patterns
                }
                new MessageFormat(e.getProperty(key));
                new MessageFormat(d.getProperty(key));
                assertEquals(key + " in " + de, args(e.getProperty(key)), args(d.getProperty(key)));
            }
        }
    }

    @Test
    public void theFilesMetatypeReadsAreAsciiWithEscapes() throws IOException {
        for (Path f : files("**/OSGI-INF/l10n/*.properties")) {
            byte[] bytes = Files.readAllBytes(f);
            for (byte b : bytes) {
                assertTrue(f + " has a byte outside ASCII: write \\uXXXX (Metatype reads ISO-8859-1)", b >= 0);
            }
        }
    }

    @Test
    public void everyKeyTheCodeAsksForIsThere() throws IOException {
        for (String bundle : List.of("io.sshtunnel.api", "io.sshtunnel.core", "io.sshtunnel.ownership", "io.sshtunnel.webconsole")) {
            Path root = BUNDLES.resolve(bundle);
            Set<String> keys = load(root.resolve("src/main/resources/OSGI-INF/l10n/bundle.properties")).stringPropertyNames();
            Set<String> asked = new TreeSet<>();
            List<Path> sources;
            try (Stream<Path> s = Files.walk(root.resolve("src/main"))) {
                sources = s.filter(Files::isRegularFile).collect(Collectors.toList());
            }
            for (Path src : sources) {
                String text = Files.readString(src, StandardCharsets.UTF_8);
                String name = src.getFileName().toString();
                if (name.endsWith(".java")) {
                    collect(CODE_KEY, text, "", asked);
                    collect(METATYPE_KEY, text, "", asked);
                } else if (name.endsWith(".html")) {
                    collect(PAGE_KEY, text, "", asked);
                    asked.remove("lang");
                    asked.remove("texts");
                } else if (name.endsWith(".js")) {
                    collect(SCRIPT_KEY, text, "js.", asked);
                }
            }
            asked.removeIf(k -> k.endsWith(".")); // a prefix the code completes ("own.verb." + what): its keys are listed in full
            assertTrue(bundle + " asks for keys", asked.size() > 10);
            asked.removeAll(keys);
            assertEquals(bundle + ": keys asked for but not in bundle.properties", Set.of(), asked);
        }
    }

    private static void collect(Pattern p, String text, String prefix, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            into.add(prefix + m.group(1));
        }
    }
}
