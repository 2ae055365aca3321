package io.sshtunnel.cm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Repairs what Felix's {@code FilePersistenceManager} leaves behind when the JVM dies in the middle
 * of storing a configuration. It writes {@code NAME.config} by writing {@code NAME.configDIGITS.tmp}
 * completely, closing it, deleting {@code NAME.config} and renaming the temporary file. So:
 * <ul>
 * <li>a temporary file whose configuration file is missing was complete: the JVM died between the
 * delete and the rename, and without repair the configuration is gone at the next start (Felix
 * skips {@code .tmp} files). It is moved into place;</li>
 * <li>a temporary file next to its configuration file is a write that never finished, or one
 * whose rename was not reached: the configuration file is the last whole state. It is removed.</li>
 * <li>a temporary file that cannot be read, with no configuration file, cannot come from Felix's
 * sequence; it is left where it is and reported.</li>
 * </ul>
 * Must run only while nothing stores configurations in {@code root}.
 */
final class Orphans {
    /** {@code File.createTempFile(cfgFile.getName(), ".tmp", dir)}: the name, then an unsigned random number. */
    private static final Pattern TEMPORARY = Pattern.compile("(.+\\.config)\\d+\\.tmp");

    private Orphans() {
    }

    /** What was done with one temporary file. */
    enum Kind { RESTORED, REMOVED, UNREADABLE }

    /** One repair, for the log. */
    record Repair(Kind kind, Path file, Path from) {
        @Override
        public String toString() {
            switch (kind) {
                case RESTORED:
                    return "restored " + file + " from " + from.getFileName();
                case REMOVED:
                    return "removed " + from + ", an unfinished save of " + file.getFileName();
                default:
                    return "kept " + from + ": " + file.getFileName() + " is missing and this file cannot be read";
            }
        }
    }

    /**
     * Repairs every folder below {@code root}. {@code whole} tells whether a temporary file holds a
     * readable configuration; of several for one file, the newest readable one is kept.
     */
    static List<Repair> repair(Path root, Predicate<Path> whole) throws IOException {
        List<Repair> repairs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return repairs;
        }
        Map<Path, List<Path>> byTarget = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (m.matches()) {
                    byTarget.computeIfAbsent(f.resolveSibling(m.group(1)), k -> new ArrayList<>()).add(f);
                }
            });
        }
        for (Map.Entry<Path, List<Path>> e : byTarget.entrySet()) {
            Path target = e.getKey();
            List<Path> temporaries = new ArrayList<>(e.getValue());
            temporaries.sort(Comparator.comparing(Orphans::modified).reversed());
            if (!Files.exists(target)) {
                for (Path candidate : temporaries) {
                    if (whole.test(candidate)) {
                        Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE);
                        repairs.add(new Repair(Kind.RESTORED, target, candidate));
                        temporaries.remove(candidate);
                        break;
                    }
                }
            }
            boolean settled = Files.exists(target);
            for (Path left : temporaries) {
                if (!settled) {
                    // nothing better exists: kept for whoever wants to look at it
                    repairs.add(new Repair(Kind.UNREADABLE, target, left));
                } else if (Files.deleteIfExists(left)) {
                    repairs.add(new Repair(Kind.REMOVED, target, left));
                }
            }
        }
        return repairs;
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
