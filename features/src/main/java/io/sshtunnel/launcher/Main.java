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
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path runpath = Files.createTempDirectory("sshtunnel-launcher-"); // owner only, removed at the stop
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
