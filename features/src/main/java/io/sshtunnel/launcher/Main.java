package io.sshtunnel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            java.nio.file.attribute.UserPrincipal me = Files.getOwner(mine);
            siblings.filter(d -> !d.equals(mine) && d.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(d,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(d -> {
                        try {
                            if (!me.equals(Files.getOwner(d, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                                return; // another user's run
                            }
                            Path pid = d.resolve(PID);
                            boolean stale;
                            if (Files.isRegularFile(pid, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                                long n = Long.parseLong(Files.readString(pid).trim());
                                stale = ProcessHandle.of(n).map(p -> !p.isAlive()).orElse(true);
                            } else {
                                stale = Files.getLastModifiedTime(d, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant()
                                        .isBefore(java.time.Instant.now().minusSeconds(60));
                            }
                            if (stale) {
                                delete(d);
                            }
                        } catch (IOException | RuntimeException e) {
                            // not ours to judge: left alone
                        }
                    });
        } catch (IOException | RuntimeException e) {
            // tidying up is no reason to fail a start
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder that stays is no reason to fail a stop
        }
    }
}
