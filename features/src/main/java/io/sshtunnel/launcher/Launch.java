package io.sshtunnel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Runs the framework with the bundles and properties bnd's export wrote into the assembly
 * ({@code launcher.properties}, the bundles under {@code jar/}): installs what is missing, updates
 * what changed (by the manifest's per-entry digest), removes what the assembly no longer carries,
 * starts the bundles in the listed order, and stops the framework cleanly on SIGTERM, so that
 * components deactivate, tunnels close and the process exits with 0.
 */
public final class Launch {
    /** Location prefix of the bundles the assembly installs; others (FileInstall's, uploads) are left alone. */
    static final String LOCATION = "sshtunnel:";
    static final String DIGESTS = "sshtunnel-launcher.digests";
    static final long STOP_MILLIS = 30_000;
    static final String BEGINNING = Constants.FRAMEWORK_BEGINNING_STARTLEVEL;
    /** Felix's start level for bundles installed without one (FileInstall's, uploads). */
    static final String INITIAL_BUNDLE_LEVEL = "felix.startlevel.bundle";
    static final int EXTENDERS_LEVEL = 1;
    static final int BUNDLES_LEVEL = 2;
    /**
     * The HTTP server and what runs only on it (the Web Console, its plugins, the health and
     * metrics servlets): started after the engine, which needs none of them, so that tunnels
     * connect while Jetty starts instead of after it.
     */
    static final int WEB_LEVEL = 3;
    /** The folder of hot-deployed bundles, added to FileInstall's. */
    static final String DEPLOY_DIR = "sshtunnel.deploy.dir";
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";

    private Launch() {
    }

    /**
     * @param jar the assembly
     * @param cleanUp what the caller removes when the process ends (also on SIGTERM)
     * @return the exit code
     */
    public static int run(Path jar, String[] args, Runnable cleanUp) throws Exception {
        Properties launcher = new Properties();
        Map<String, String> digests = new HashMap<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            try (InputStream in = jf.getInputStream(jf.getJarEntry("launcher.properties"))) {
                launcher.load(in);
            }
            for (Map.Entry<String, Attributes> e : jf.getManifest().getEntries().entrySet()) {
                String d = e.getValue().getValue("SHA-256-Digest");
                if (d != null) {
                    digests.put(e.getKey(), d);
                }
            }
        }
        List<String> bundles = new ArrayList<>();
        for (String b : launcher.getProperty("launch.bundles", "").split("\\s*,\\s*")) {
            if (!b.isEmpty()) {
                bundles.add(b);
            }
        }
        Map<String, String> config = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.")) {
                String value = System.getProperty(key, launcher.getProperty(key)); // -Dkey=value wins
                config.put(key, value);
                // also as system properties, as bnd's launcher had them: libraries such as slf4j-simple read only those
                System.setProperty(key, value);
            }
        }
        watchFolders(config);
        config.put(Constants.FRAMEWORK_STORAGE, System.getProperty(Constants.FRAMEWORK_STORAGE,
                launcher.getProperty("launch.storage.dir", "felix-cache")));
        if (!Boolean.parseBoolean(launcher.getProperty("launch.keep", "true"))) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        boolean eager = Boolean.parseBoolean(launcher.getProperty("launch.activation.eager", "false"));
        // extenders that weave (SPI Fly) at level 1, before every bundle they weave, on each start;
        // the web stack last (level 3)
        config.putIfAbsent(BEGINNING, System.getProperty(BEGINNING, String.valueOf(WEB_LEVEL)));
        config.putIfAbsent(INITIAL_BUNDLE_LEVEL, System.getProperty(INITIAL_BUNDLE_LEVEL, String.valueOf(BUNDLES_LEVEL)));

        Iterator<FrameworkFactory> factories = ServiceLoader.load(FrameworkFactory.class, Launch.class.getClassLoader()).iterator();
        if (!factories.hasNext()) {
            throw new IllegalStateException("no OSGi framework in the assembly");
        }
        FrameworkFactory factory = factories.next();
        AtomicReference<Framework> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            stop(running.get());
            cleanUp.run();
            Runtime.getRuntime().halt(0); // a stop asked for by SIGTERM and carried out is a clean exit
        }, "sshtunnel-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                Framework framework = factory.newFramework(config);
                framework.init();
                running.set(framework);
                Installed installed = reconcile(framework.getBundleContext(), jar, bundles, digests);
                if (installed.restart) {
                    framework.stop(); // a framework extension leaves only with the framework
                    framework.waitForStop(STOP_MILLIS);
                    continue;
                }
                // marked for start at start level 0, before the framework starts: it then starts them
                // level by level (SPI Fly, the engine and its peers, the web stack), not in list order
                for (Bundle b : installed.bundles) {
                    if (b.getHeaders("").get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.UNINSTALLED) {
                        try {
                            b.start(eager ? 0 : Bundle.START_ACTIVATION_POLICY);
                        } catch (BundleException | IllegalStateException e) {
                            System.err.println("sshtunnel: could not start " + b.getSymbolicName() + ": " + e.getMessage()
                                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                        }
                    }
                }
                framework.start();
                FrameworkEvent stopped = framework.waitForStop(0);
                if (stopped.getType() != FrameworkEvent.STOPPED_UPDATE && stopped.getType() != FrameworkEvent.STOPPED_SYSTEM_REFRESHED) {
                    return stopped.getType() == FrameworkEvent.ERROR ? 1 : 0;
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook finishes the stop
            }
        }
    }

    /** The configuration file through which FileInstall watches the deploy folder, in the first configuration folder. */
    static final String DEPLOY_WATCHER = "org.apache.felix.fileinstall-sshtunnel-deploy.cfg";
    /** FileInstall's properties a second watcher takes over from the framework's. */
    static final List<String> WATCHER_KEYS = List.of("felix.fileinstall.poll", "felix.fileinstall.noInitialDelay",
            "felix.fileinstall.log.level", "felix.fileinstall.optionalImportRefreshScope", "felix.fileinstall.fragmentRefreshScope",
            "felix.fileinstall.bundles.new.start", "felix.fileinstall.bundles.startActivationPolicy",
            "felix.fileinstall.bundles.startTransient", "felix.fileinstall.bundles.updateWithListeners", "felix.fileinstall.start.level",
            "felix.fileinstall.active.level", "felix.fileinstall.tmpdir");

    /**
     * The folders FileInstall watches, each for its own kind of file: the configuration folders
     * ({@code felix.fileinstall.dir}) take only {@code .cfg} and {@code .config} files, and only the
     * deploy folder ({@value #DEPLOY_DIR}, default {@code deploy}; empty: none) installs and starts
     * bundles: a bundle dropped there is installed and started, and one with the symbolic name and
     * version of an installed bundle (a rebuilt {@code io.sshtunnel.core}) updates that bundle in
     * place. FileInstall watches it through a configuration of its own that this method writes
     * into the first configuration folder, as Karaf does for its {@code deploy}.
     *
     * <p>Whoever can write into the deploy folder runs code as this process's user. So at every
     * start: a deploy folder (or the target of a link to it) that another user owns, or that its
     * group or others may write, is not watched, with an error that names it, its owner and mode
     * and the fix. A new one is made owner-only.
     */
    static void watchFolders(Map<String, String> config) throws IOException {
        String dirs = config.getOrDefault(FILEINSTALL_DIR, "").trim();
        List<Path> confs = new ArrayList<>();
        for (String d : dirs.split(",")) {
            if (!d.isBlank()) {
                confs.add(Path.of(d.trim()).toAbsolutePath().normalize());
            }
        }
        if (confs.isEmpty()) {
            return;
        }
        config.put(FILTER, CONFIG_FILES);
        System.setProperty(FILTER, CONFIG_FILES);
        for (Path conf : confs) {
            warnAboutBundlesIn(conf);
        }
        Path watcher = confs.get(0).resolve(DEPLOY_WATCHER);
        String deploy = config.getOrDefault(DEPLOY_DIR, "").trim();
        String refusal = deploy.isEmpty() ? null : deployRefusal(Path.of(deploy).toAbsolutePath().normalize(), confs);
        if (deploy.isEmpty() || refusal != null) {
            if (refusal != null) {
                System.err.println("sshtunnel: ERROR " + refusal);
            }
            Files.deleteIfExists(watcher); // nothing runs from a folder that is not ours alone
            return;
        }
        Path folder = Path.of(deploy).toAbsolutePath().normalize();
        StringBuilder cfg = new StringBuilder("# Written by the sshtunnel launcher at every start (framework property " + DEPLOY_DIR
                + "): FileInstall installs the bundles of this folder, and only of this one.\n");
        cfg.append(FILEINSTALL_DIR).append(" = ").append(escape(folder.toString())).append('\n');
        cfg.append(FILTER).append(" = ").append(escape(".*\\.jar")).append('\n');
        for (String key : WATCHER_KEYS) {
            if (config.get(key) != null) {
                cfg.append(key).append(" = ").append(escape(config.get(key))).append('\n');
            }
        }
        String text = cfg.toString();
        if (!Files.exists(watcher) || !text.equals(Files.readString(watcher))) {
            Files.createDirectories(watcher.getParent());
            Path tmp = Files.createTempFile(watcher.getParent(), ".deploy", ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, watcher, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static final String FILTER = "felix.fileinstall.filter";
    /** What the configuration folders take: configuration files, never bundles. */
    static final String CONFIG_FILES = ".*\\.(cfg|config)";

    /** A value as a {@code .cfg} line holds it: backslashes doubled, as Properties reads them. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static void warnAboutBundlesIn(Path conf) {
        try (java.util.stream.Stream<Path> files = Files.list(conf)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar")).forEach(f -> System.err.println("sshtunnel: WARNING "
                    + f + " is not installed: the configuration folder takes .cfg and .config files only; bundles go into the"
                    + " deploy folder (" + DEPLOY_DIR + ")"));
        } catch (IOException e) {
            // no folder yet: nothing in it
        }
    }

    /**
     * Why the deploy folder must not be watched, or null when it may: made owner-only when new; else
     * its target must be a folder owned by this process's user that neither group nor others may
     * write, and no configuration folder (those take configuration files only).
     */
    static String deployRefusal(Path folder, List<Path> confs) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(folder); // not a POSIX file system
                return null;
            }
        }
        Path real = folder.toRealPath();
        String shown = real.equals(folder) ? folder.toString() : folder + " (a link to " + real + ")";
        if (!Files.isDirectory(real)) {
            return "the deploy folder " + shown + " is not a folder: no bundle is hot-deployed; remove it, or set " + DEPLOY_DIR
                    + " to a folder";
        }
        if (confs.contains(real) || confs.contains(folder)) {
            return "the deploy folder " + shown + " is also a configuration folder (felix.fileinstall.dir): no bundle is"
                    + " hot-deployed; give " + DEPLOY_DIR + " a folder of its own";
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(real, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system: nothing to check
        }
        String me = processUser();
        Set<PosixFilePermission> p = a.permissions();
        boolean othersWrite = p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
        if (!a.owner().getName().equals(me) || othersWrite) {
            return "the deploy folder " + shown + " belongs to " + a.owner().getName() + " with mode "
                    + PosixFilePermissions.toString(p) + ": whoever may write there runs code as " + me
                    + ", so it is not watched and no bundle is hot-deployed; make it " + me + "'s alone (chown " + me + " " + real
                    + " && chmod 700 " + real + "), or set " + DEPLOY_DIR + " to such a folder";
        }
        return null;
    }

    /** The user this process runs as: the owner of a file it makes. */
    private static String processUser() throws IOException {
        Path probe = Files.createTempFile("sshtunnel-owner", ".tmp");
        try {
            return Files.getOwner(probe).getName();
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static void stop(Framework framework) {
        if (framework == null || (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(STOP_MILLIS);
        } catch (BundleException | InterruptedException e) {
            System.err.println("sshtunnel: the framework did not stop cleanly: " + e);
        }
    }

    /** Brings the installed bundles in line with the assembly's; returns them in the listed order. */
    static Installed reconcile(BundleContext context, Path jar, List<String> bundles, Map<String, String> digests)
            throws IOException, BundleException {
        Properties known = new Properties();
        java.io.File file = context.getDataFile(DIGESTS);
        if (file != null && file.isFile()) {
            try (InputStream in = Files.newInputStream(file.toPath())) {
                known.load(in);
            }
        }
        Map<String, Bundle> ours = new LinkedHashMap<>();
        boolean extensionGone = false;
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION)) {
                ours.put(b.getLocation(), b);
            } else if (b.getLocation().startsWith("jar/")) {
                extensionGone |= isExtension(b);
                b.uninstall(); // installed by the bnd launcher of earlier versions: installed again as ours
            }
        }
        List<Bundle> result = new ArrayList<>();
        Properties now = new Properties();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (String entry : bundles) {
                String location = LOCATION + entry;
                String digest = digests.get(entry);
                Bundle b = ours.remove(location);
                if (b == null) {
                    uninstallSame(context, jf, entry); // e.g. installed under another location by an earlier launcher
                    try (InputStream in = jf.getInputStream(jf.getJarEntry(entry))) {
                        b = context.installBundle(location, in);
                    }
                } else if (digest == null || !digest.equals(known.getProperty(location))) {
                    try (InputStream in = jf.getInputStream(jf.getJarEntry(entry))) {
                        b.update(in);
                    }
                }
                if (digest != null) {
                    now.setProperty(location, digest);
                }
                b.adapt(BundleStartLevel.class).setStartLevel(levelOf(b));
                result.add(b);
            }
        }
        for (Bundle gone : ours.values()) {
            extensionGone |= isExtension(gone);
            gone.uninstall(); // no longer part of the assembly
        }
        if (file != null && !now.equals(known)) {
            try (OutputStream out = Files.newOutputStream(file.toPath())) {
                now.store(out, "bundles the assembly installed, by location, with the digest of each");
            }
        }
        return new Installed(result, extensionGone);
    }

    /** The assembly's bundles in order, and whether a framework extension left, which takes a restart. */
    static final class Installed {
        final List<Bundle> bundles;
        final boolean restart;

        Installed(List<Bundle> bundles, boolean restart) {
            this.bundles = bundles;
            this.restart = restart;
        }
    }

    static boolean isExtension(Bundle b) {
        String host = b.getHeaders("").get(Constants.FRAGMENT_HOST);
        return host != null && (host.startsWith(Constants.SYSTEM_BUNDLE_SYMBOLICNAME) || host.startsWith("org.apache.felix.framework"));
    }

    /** SPI Fly first, the web stack last, everything else between. */
    static int levelOf(Bundle b) {
        if (weaves(b)) {
            return EXTENDERS_LEVEL;
        }
        return serves(b) ? WEB_LEVEL : BUNDLES_LEVEL;
    }

    /** Whether the bundle is the HTTP server or needs the servlet API (so runs only on a server). */
    static boolean serves(Bundle b) {
        if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.apache.felix.http.jetty")) {
            return true;
        }
        String imports = b.getHeaders("").get(Constants.IMPORT_PACKAGE);
        return imports != null && (imports.contains("jakarta.servlet") || imports.contains("javax.servlet"));
    }

    /** Whether the bundle mediates ServiceLoader calls by weaving the bundles that make them (SPI Fly). */
    static boolean weaves(Bundle b) {
        String provided = b.getHeaders("").get(Constants.PROVIDE_CAPABILITY);
        return provided != null && provided.contains("osgi.serviceloader.processor");
    }

    private static void uninstallSame(BundleContext context, JarFile jf, String entry) throws IOException, BundleException {
        Manifest m;
        try (JarInputStream in = new JarInputStream(jf.getInputStream(jf.getJarEntry(entry)))) {
            m = in.getManifest();
        }
        if (m == null) {
            return;
        }
        String bsn = m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null) {
            return;
        }
        String name = bsn.split(";")[0].trim();
        Version version = Version.parseVersion(m.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != 0 && name.equals(b.getSymbolicName()) && Objects.equals(version, b.getVersion())) {
                b.uninstall();
            }
        }
    }
}
