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
        watchDeployFolder(config);
        config.put(Constants.FRAMEWORK_STORAGE, System.getProperty(Constants.FRAMEWORK_STORAGE,
                launcher.getProperty("launch.storage.dir", "felix-cache")));
        if (!Boolean.parseBoolean(launcher.getProperty("launch.keep", "true"))) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        boolean eager = Boolean.parseBoolean(launcher.getProperty("launch.activation.eager", "false"));
        // extenders that weave (SPI Fly) at level 1, before every bundle they weave, on each start
        config.putIfAbsent(BEGINNING, System.getProperty(BEGINNING, String.valueOf(BUNDLES_LEVEL)));
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
                framework.start();
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

    /**
     * Adds the deploy folder ({@value #DEPLOY_DIR}, default {@code deploy}; empty: none) to the
     * folders FileInstall watches, made owner-only if it is new: a bundle dropped there is
     * installed and started, and one with the symbolic name and version of an installed bundle
     * (a rebuilt {@code io.sshtunnel.core}) updates that bundle in place. FileInstall takes a
     * comma-separated {@code felix.fileinstall.dir}; the folder is added to whatever that is, so
     * that {@code -Dfelix.fileinstall.dir=/etc/sshtunnel} keeps it.
     */
    static void watchDeployFolder(Map<String, String> config) throws IOException {
        String deploy = config.getOrDefault(DEPLOY_DIR, "").trim();
        if (deploy.isEmpty()) {
            return;
        }
        Path folder = Path.of(deploy).toAbsolutePath().normalize();
        String dirs = config.getOrDefault(FILEINSTALL_DIR, "").trim();
        boolean watched = false;
        for (String d : dirs.split(",")) {
            watched |= !d.isBlank() && Path.of(d.trim()).toAbsolutePath().normalize().equals(folder);
        }
        if (!watched) {
            dirs = dirs.isEmpty() ? deploy : dirs + "," + deploy;
            config.put(FILEINSTALL_DIR, dirs);
            System.setProperty(FILEINSTALL_DIR, dirs);
        }
        if (!Files.isDirectory(folder)) {
            try {
                Files.createDirectories(folder, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(folder); // not a POSIX file system
            }
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
                b.adapt(BundleStartLevel.class).setStartLevel(weaves(b) ? EXTENDERS_LEVEL : BUNDLES_LEVEL);
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
