package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The features in a real Apache Karaf 4.4.10, the way its README says: the distribution a user
 * downloads (with its default boot features, among them Karaf's own SSH console on sshd 2.17.1
 * and BouncyCastle 1.83), {@code feature:repo-add} and {@code feature:install sshtunnel} typed
 * into one {@code bin/client} session, and a tunnel dropped as a {@code .cfg} into {@code etc/}
 * that carries bytes through a real OpenSSH server with Ed25519 keys on both sides, with no
 * restart. The session that typed the install stays alive (nothing of Karaf's is rewired: the
 * engine uses Karaf's sshd and BouncyCastle), and {@code feature:uninstall} leaves no thread and
 * no listener behind. Karaf resolves only from the local Maven repository and the build's
 * {@code target/karaf-repository}: no network.
 */
public class KarafIT {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Duration COMMAND = Duration.ofSeconds(180);
    private static final Duration TUNNEL = Duration.ofSeconds(60);
    /** Every bundle, symbolic names whole. */
    private static final String BUNDLES = "bundle:list -t 0 -s --no-ellipsis";

    private OutsideServers servers;
    private Path work;
    private Path karaf;
    private OpenSsh sshd;
    private EchoServer echo;
    private Process process;
    private Client client;
    private int sshPort;
    private Path javaHome;

    @Before
    public void setUp() throws Exception {
        Path distribution = Path.of(System.getProperty("karaf.distribution", "target/karaf-distribution/apache-karaf.tar.gz"));
        Requirements.require(Files.isRegularFile(distribution), "the Karaf distribution " + distribution + " (the build copies it)");
        servers = OutsideServers.start("karaf");
        work = servers.work;
        sshd = servers.sshd;
        echo = servers.echo;
        OpenSsh.run("tar", "xzf", distribution.toAbsolutePath().toString(), "-C", work.toString());
        try (var dirs = Files.list(work)) {
            karaf = dirs.filter(p -> p.getFileName().toString().startsWith("apache-karaf")).findFirst().orElseThrow();
        }
        javaHome = karafJava();
    }

    /**
     * A Java that Karaf 4.4 starts on: the tests' own below 24; from Java 24 on (where Karaf 4.4's
     * scripts ask for the Security Manager, which the JVM refuses) a JDK 17 or 21 installed beside.
     */
    private static Path karafJava() throws IOException {
        Path own = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() < 24) {
            return own;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var homes = Files.list(jvms)) {
                for (Path home : homes.sorted().collect(Collectors.toList())) {
                    String name = home.getFileName().toString();
                    if ((name.contains("-17-") || name.contains("-21-")) && Files.isExecutable(home.resolve("bin/java"))) {
                        return home;
                    }
                }
            }
        }
        Requirements.require(false, "a JDK 17 or 21 for Karaf 4.4 (which does not start on Java " + Runtime.version().feature() + ")");
        return own;
    }

    @After
    public void tearDown() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
    }

    @Test
    public void theFeatureInstallsIntoARunningKarafAndCarriesBytesThroughOpenSsh() throws Exception {
        String password = "It-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        configure(password);
        startKaraf();
        String version = System.getProperty("project.version", "0.1.0-SNAPSHOT");

        client = new Client(password);
        String before = client.run(BUNDLES, COMMAND);
        List<String> karafSshd = bundles(before, "org.apache.sshd.osgi");
        assertEquals("Karaf's own SSH console runs one sshd: " + before, 1, karafSshd.size());

        client.run("feature:repo-add mvn:io.sshtunnel/sshtunnel-features/" + version + "/xml/features", COMMAND);
        String installed = client.run("feature:install sshtunnel", COMMAND);
        assertFalse(installed, installed.toLowerCase(java.util.Locale.ROOT).contains("error"));

        // Karaf's sshd and BouncyCastle serve: nothing of ours beside them, nothing rewired
        String after = client.run(BUNDLES, COMMAND);
        assertEquals("no second sshd beside Karaf's: " + after, karafSshd, bundles(after, "org.apache.sshd.osgi"));
        assertEquals("no second BouncyCastle beside Karaf's: " + after, bundles(before, "bcprov"), bundles(after, "bcprov"));
        for (String b : List.of("io.sshtunnel.api", "io.sshtunnel.core", "io.sshtunnel.validation", "io.sshtunnel.templates",
                "io.sshtunnel.ownership", "io.sshtunnel.shell")) {
            List<String> found = bundles(after, b);
            assertEquals(b + " installed once: " + after, 1, found.size());
            assertTrue(b + " active: " + found, found.get(0).contains("Active"));
        }
        assertTrue("the example configuration is in etc/", Files.isRegularFile(karaf.resolve("etc/io.sshtunnel.tunnel-example.cfg")));

        int l = Net.freePort();
        Path cfg = karaf.resolve("etc/io.sshtunnel.tunnel-karafit.cfg");
        Path tmp = karaf.resolve("etc/karafit.tmp");
        Files.write(tmp, List.of(
                "name = karafit",
                "server.host = 127.0.0.1",
                "server.port = " + sshd.port(),
                "username = " + System.getProperty("user.name"),
                "private.key.path = " + sshd.clientKey(),
                "mappings = L " + l + ":127.0.0.1:" + echo.port() + " # echo"), StandardCharsets.UTF_8);
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Await.until(() -> "bytes through OpenSSH with Ed25519 keys on both sides (see " + log() + ")", TUNNEL, () -> Net.echoes(l));

        // the session that typed the install is the one that asks now: it was never cut
        String list = client.run("tunnel:list", COMMAND);
        assertTrue(list, lines(list, "karafit").stream().anyMatch(s -> s.contains("UP")));
        assertTrue("the example is there, disabled: " + list, lines(list, "example").stream().anyMatch(s -> s.contains("DISABLED")));
        // and a script's batch session (bin/client -b, the command on its input) gets it too
        String batch = batch(password, "tunnel:list");
        assertTrue(batch, lines(batch, "karafit").stream().anyMatch(s -> s.contains("UP")));
        String text = Files.readString(karaf.resolve("data/log/karaf.log"));
        assertFalse(text, text.contains("ClassCastException"));
        assertFalse(text, text.contains("InstallFeatureCommand"));

        client.run("feature:uninstall sshtunnel", COMMAND);
        Await.until("the L listener closed after feature:uninstall", TUNNEL, () -> !Net.accepts("127.0.0.1", l));
        String threads = Await.until("the engine's threads gone after feature:uninstall", TUNNEL, () -> {
            String t = client.run("shell:threads", COMMAND);
            // an empty answer (the command's output lost) is no list at all: asked again
            return t.contains("Thread") && lines(t, "sshtunnel-").isEmpty() ? t : null;
        });
        assertTrue("the thread list was read: " + threads, threads.contains("Thread"));
        String gone = client.run(BUNDLES, COMMAND);
        assertTrue(gone, bundles(gone, "io.sshtunnel.core").isEmpty());
        assertEquals("Karaf's sshd untouched: " + gone, karafSshd, bundles(gone, "org.apache.sshd.osgi"));
    }

    /**
     * The crash-safe Config Admin storage, set up by the script docs/karaf.md gives
     * ({@code sshtunnel-storage KARAF_HOME JAR}) on a fresh instance: Karaf boots completely, the
     * storage starts with Config Admin and Config Admin uses it, at the first start and after a
     * restart; running the script twice changes nothing.
     */
    @Test
    public void theStorageScriptMakesKarafsConfigAdminUseTheCrashSafeStorage() throws Exception {
        String password = "It-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        configure(password);
        String version = System.getProperty("project.version", "0.1.0-SNAPSHOT");
        Path jar = Path.of(System.getProperty("karaf.repository", "target/karaf-repository"), "io/sshtunnel/io.sshtunnel.cm",
                version, "io.sshtunnel.cm-" + version + ".jar").toAbsolutePath();
        Path script = Path.of(System.getProperty("karaf.storageScript", "../features/src/main/karaf/sshtunnel-storage")).toAbsolutePath();
        for (int i = 0; i < 2; i++) {
            OpenSsh.run("sh", script.toString(), karaf.toString(), jar.toString());
        }
        List<String> startup = Files.readAllLines(karaf.resolve("etc/startup.properties")).stream()
                .filter(s -> s.contains("io.sshtunnel.cm")).collect(Collectors.toList());
        assertEquals("one start-up line, after running it twice", List.of("mvn\\:io.sshtunnel/io.sshtunnel.cm/" + version + " = 10"), startup);
        assertEquals(1, Files.readAllLines(karaf.resolve("etc/custom.properties")).stream()
                .filter(s -> s.startsWith("felix.cm.pm")).count());

        for (int start = 1; start <= 2; start++) {
            startKaraf();
            client = new Client(password);
            String bundles = client.run(BUNDLES, COMMAND);
            List<String> cm = bundles(bundles, "io.sshtunnel.cm");
            assertEquals("start " + start + ": " + bundles, 1, cm.size());
            assertTrue("start " + start + ": started with Config Admin, at its level: " + cm,
                    cm.get(0).contains("Active") && cm.get(0).matches(".*\\b10\\b.*"));
            String services = client.run("service:list org.apache.felix.cm.PersistenceManager", COMMAND);
            String ours = services.substring(services.indexOf("name = sshtunnel"));
            ours = ours.substring(0, ours.contains("[org.apache.felix.cm.PersistenceManager]")
                    ? ours.indexOf("[org.apache.felix.cm.PersistenceManager]") : ours.length());
            assertTrue("start " + start + ": Config Admin uses the storage: " + services,
                    ours.contains("Used by") && ours.contains("Configuration Admin"));
            // Karaf booted completely: its features service, which waits for Config Admin, answers
            String features = client.run("feature:list -i", COMMAND);
            assertTrue("start " + start + ": " + features, features.contains("ssh "));
            client.close();
            client = null;
            stopKaraf();
        }
    }

    private void stopKaraf() throws Exception {
        process.destroy(); // SIGTERM: Karaf stops its framework
        assertTrue("Karaf stopped within a minute of SIGTERM", process.waitFor(60, TimeUnit.SECONDS));
        process = null;
        Await.until("Karaf's SSH port closed", BOOT, () -> !Net.accepts("127.0.0.1", sshPort));
    }

    /** No network, our repository first; a login user; every port Karaf opens chosen free. */
    private void configure(String password) throws IOException {
        Path etc = karaf.resolve("etc");
        String repository = Path.of(System.getProperty("karaf.repository", "target/karaf-repository")).toAbsolutePath().toUri().toString();
        String local = Path.of(System.getProperty("karaf.localRepository", System.getProperty("user.home") + "/.m2/repository"))
                .toAbsolutePath().toString();
        Files.write(etc.resolve("org.ops4j.pax.url.mvn.cfg"), List.of(
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false",
                "org.ops4j.pax.url.mvn.offline = true",
                "org.ops4j.pax.url.mvn.localRepository = " + local,
                "org.ops4j.pax.url.mvn.defaultRepositories = " + repository + "@id=sshtunnel@snapshots, "
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots",
                "org.ops4j.pax.url.mvn.repositories = "), StandardCharsets.ISO_8859_1);
        sshPort = Net.freePort();
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(sshPort));
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(Net.freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(Net.freePort()));
        Files.writeString(etc.resolve("users.properties"), "\nkaraf = " + password + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n", StandardCharsets.ISO_8859_1,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private void startKaraf() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server").directory(karaf.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("karaf.out").toFile()));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("KARAF_EXEC", "exec"); // the JVM replaces the script: SIGTERM reaches it
        process = pb.start();
        Await.until(() -> "Karaf's SSH console on port " + sshPort + " (see " + log() + ")", BOOT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("Karaf exited with " + process.exitValue() + " (see " + work.resolve("karaf.out") + ")");
            }
            return Net.accepts("127.0.0.1", sshPort);
        });
    }

    private Path log() {
        return karaf.resolve("data/log/karaf.log");
    }

    /** The lines of {@code bundle:list -s} that list the bundle {@code symbolicName}. */
    private static List<String> bundles(String output, String symbolicName) {
        return output.lines().map(String::strip).filter(s -> s.endsWith(" " + symbolicName)).collect(Collectors.toList());
    }

    /** The lines of a command's output that contain {@code what}. */
    private static List<String> lines(String output, String what) {
        return output.lines().filter(s -> s.contains(what)).map(String::strip).collect(Collectors.toList());
    }

    private static void set(Path file, String key, String value) throws IOException {
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                out.add(key + " = " + value);
                found = true;
            } else {
                out.add(line);
            }
        }
        if (!found) {
            out.add(key + " = " + value);
        }
        Files.write(file, out, StandardCharsets.ISO_8859_1);
    }

    /**
     * One interactive {@code bin/client} session, as a user types into it: commands on its
     * standard input, each when the prompt is back. If the session dies, no prompt comes and the
     * wait fails.
     */
    /** What {@code bin/client -b} prints for the command given on its input, as a script or a monitoring check runs it. */
    private String batch(String password, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a",
                String.valueOf(sshPort), "-u", "karaf", "-p", password, "-r", "30", "-d", "2", "-b").directory(karaf.toFile())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/client -b did not end: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private final class Client implements AutoCloseable {
        private final Process p;
        private final OutputStream in;
        private final StringBuffer out = new StringBuffer();

        Client(String password) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a",
                    String.valueOf(sshPort), "-u", "karaf", "-p", password, "-r", "30", "-d", "2").directory(karaf.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", javaHome.toString());
            pb.environment().remove("JAVA_OPTS");
            p = pb.start();
            in = p.getOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream s = p.getInputStream()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = s.read(buf)) > 0;) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    out.append("\n[client output ended: ").append(e).append("]\n");
                }
            }, "karaf-client-reader");
            reader.setDaemon(true);
            reader.start();
            // typed before the shell reads, a line may be lost: wait for its first prompt
            Await.until(() -> "the first prompt of the bin/client session (alive: " + p.isAlive() + "): " + out, BOOT,
                    () -> {
                        if (!p.isAlive()) {
                            throw new AssertionError("bin/client ended: " + out);
                        }
                        return strip(out.toString()).contains("@root()>");
                    });
        }

        /**
         * Types {@code command} and returns what it printed: the lines between its echo and the
         * next prompt, which the console shows once the command is done. One line at a time, each
         * after the prompt: Karaf's console reads what is typed while a command runs.
         */
        String run(String command, Duration timeout) {
            int from = out.length();
            try {
                in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new AssertionError("the bin/client session is gone before \"" + command + "\": " + out, e);
            }
            return Await.until(() -> "\"" + command + "\" in the bin/client session (alive: " + p.isAlive() + "): "
                    + out.substring(from), timeout, () -> {
                        String o = strip(out.substring(from));
                        // the terminal wraps a long command's echo at its width: look for its start
                        int echoed = o.indexOf(command.substring(0, Math.min(40, command.length())));
                        int lineEnd = echoed < 0 ? -1 : o.indexOf('\n', echoed);
                        int prompt = lineEnd < 0 ? -1 : o.indexOf("@root()>", lineEnd);
                        if (prompt < 0) {
                            if (!p.isAlive()) {
                                throw new AssertionError("the bin/client session ended during \"" + command + "\": " + o);
                            }
                            return null;
                        }
                        int last = o.lastIndexOf('\n', prompt);
                        return last <= lineEnd ? "" : o.substring(lineEnd + 1, last);
                    });
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("logout\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                // gone already
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Terminal output without colours and cursor movements. */
    private static String strip(String s) {
        return s.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
    }
}
