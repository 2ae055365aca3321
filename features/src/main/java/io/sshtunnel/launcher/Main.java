package io.sshtunnel.launcher;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The assembly's entry point ({@code java -jar sshtunnel.jar}). It puts the framework jar that the
 * assembly carries ({@code Embedded-Runpath}) on a class loader of its own and hands over to
 * {@link Launch}, which is loaded there, so that nothing of OSGi is needed on the class path.
 * It replaces bnd's launcher, which sets a JVM-wide security policy that Java 24 and later refuse.
 */
public final class Main {
    static final String PREFIX = "sshtunnel-launcher-";
    /** The file in a run's folder with the number of the process that made it. */
    static final String PID = "pid";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path runpath = Files.createTempDirectory(PREFIX); // owner only, removed at the stop
        Files.writeString(runpath.resolve(PID), String.valueOf(ProcessHandle.current().pid()));
        removeStale(runpath);
        int code;
        try {
            List<URL> urls = new ArrayList<>();
            try (JarFile jar = new JarFile(self.toFile())) {
                String entries = jar.getManifest().getMainAttributes().getValue("Embedded-Runpath");
                if (entries == null) {
                    throw new IllegalStateException(self + " has no Embedded-Runpath: it is not the sshtunnel assembly");
                }
                for (String entry : entries.split("\\s*,\\s*")) {
                    if (entry.isEmpty() || entry.contains("biz.aQute.launcher")) {
                        continue; // bnd's own launcher: not used
                    }
                    Path file = runpath.resolve(Path.of(entry).getFileName().toString());
                    try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                    urls.add(file.toUri().toURL());
                }
            }
            urls.add(self.toUri().toURL());
            // the platform loader as parent: this jar is on the application class path too, and
            // Launch must be defined here, where it sees the framework
            try (URLClassLoader loader = new URLClassLoader("sshtunnel-launcher", urls.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> launch = loader.loadClass(Main.class.getPackageName() + ".Launch");
                Runnable cleanUp = () -> delete(runpath);
                code = (int) launch.getMethod("run", Path.class, String[].class, Runnable.class).invoke(null, self, args, cleanUp);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        } finally {
            delete(runpath);
        }
        System.exit(code);
    }

    /**
     * Removes what earlier runs left in the temporary folder when they could not remove it
     * themselves (killed with SIGKILL, out of memory, a power cut): folders of this name, of this
     * user, whose process is gone; one without its process number is stale once a minute old
     * (a run between creating it and writing the number, or a launcher of an earlier version).
     */
    static void removeStale(Path mine) {
        try (Stream<Path> siblings = Files.list(mine.getParent())) {
            UserPrincipal me = Files.getOwner(mine);
            siblings.filter(d -> !d.equals(mine) && d.getFileName().toString().startsWith(PREFIX) && stale(d, me))
                    .forEach(Main::delete);
        } catch (IOException | RuntimeException e) {
            // tidying up is no reason to fail a start
        }
    }

    /** Whether {@code dir} is a folder of {@code owner}'s whose run is gone; false when that cannot be told. */
    private static boolean stale(Path dir, UserPrincipal owner) {
        try {
            if (!Files.isDirectory(dir, NOFOLLOW_LINKS) || !owner.equals(Files.getOwner(dir, NOFOLLOW_LINKS))) {
                return false; // another user's run
            }
            Path pid = dir.resolve(PID);
            if (Files.isRegularFile(pid, NOFOLLOW_LINKS)) {
                return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).map(p -> !p.isAlive()).orElse(true);
            }
            return Files.getLastModifiedTime(dir, NOFOLLOW_LINKS).toInstant().isBefore(Instant.now().minusSeconds(60));
        } catch (IOException | RuntimeException e) {
            return false; // not ours to judge: left alone
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temporary folder that stays is no reason to fail a stop; on SIGTERM the stop hook and
            // the main thread both remove it, and the walk of one meets files the other removed
        }
    }
}
