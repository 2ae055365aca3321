package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The assembly as a user starts it, on each supported Java: on the tests' own JDK (17) and on
 * Java 25 ({@code SSHTUNNEL_IT_JAVA25}, a JDK's home, which {@code .ci/run} sets where one is
 * installed). The demo tunnel's four kinds of mapping and a dropped {@code .cfg} to a real OpenSSH server with Ed25519
 * keys on both sides carry bytes, and SIGTERM stops it cleanly: components deactivated, the
 * listeners closed, exit code 0.
 */
public class AssemblyJavaIT {
    private static final Duration START = Duration.ofSeconds(60);

    private OutsideServers servers;
    private OpenSsh sshd;
    private EchoServer echo;
    private Path work;

    @Before
    public void setUp() throws Exception {
        servers = OutsideServers.start("java");
        work = servers.work;
        sshd = servers.sshd;
        echo = servers.echo;
    }

    @After
    public void tearDown() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    public void onTheTestsOwnJava() throws Exception {
        runsAndStopsCleanly(Path.of(System.getProperty("java.home")));
    }

    @Test
    public void onJava25() throws Exception {
        String home = System.getenv("SSHTUNNEL_IT_JAVA25");
        Requirements.require(home != null && Files.isExecutable(Path.of(home, "bin/java")),
                "a Java 25 JDK named by SSHTUNNEL_IT_JAVA25 (.ci/run sets it where one is installed)");
        runsAndStopsCleanly(Path.of(home));
    }

    /** The body of GET / at 127.0.0.1:port, or null while nothing answers. */
    private static String get(int port) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port + "/").openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try (java.io.InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * A port p for the console such that p and p+10000 to p+10005 (the demo tunnel's mappings) can
     * all be bound: below the ephemeral range (32768 and up on Linux), so that no outgoing
     * connection takes one of them meanwhile. At most 200 tries.
     */
    private static int demoConsolePort() {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 200; i++) {
            int p = 12_000 + random.nextInt(10_000);
            if (bindable(p) && java.util.stream.IntStream.rangeClosed(0, 5).allMatch(d -> bindable(p + 10_000 + d))) {
                return p;
            }
        }
        throw new IllegalStateException("no bindable port between 12000 and 22000 in 200 tries");
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new java.net.InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(line -> line.contains(what)).count();
    }

    private static String logText(Assembly felix) {
        try {
            return felix.logText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The core bundle as a rebuild makes it: the same symbolic name and version, other content (one
     * entry more), written to {@code dir}.
     */
    private static Path rebuiltCore(Path dir) throws java.io.IOException {
        Path bundles = Path.of(System.getProperty("container.bundles", "target/container-bundles"));
        Path core;
        try (var files = Files.list(bundles)) {
            core = files.filter(f -> f.getFileName().toString().startsWith("io.sshtunnel.core-")).findFirst().orElseThrow();
        }
        Path out = Files.createDirectories(dir).resolve("io.sshtunnel.core.jar");
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(core.toFile());
                java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(out), in.getManifest())) {
            for (java.util.Enumeration<java.util.jar.JarEntry> e = in.entries(); e.hasMoreElements();) {
                java.util.jar.JarEntry entry = e.nextElement();
                if (entry.getName().equalsIgnoreCase(java.util.jar.JarFile.MANIFEST_NAME)) {
                    continue;
                }
                jar.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                try (java.io.InputStream s = in.getInputStream(entry)) {
                    s.transferTo(jar);
                }
                jar.closeEntry();
            }
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/rebuilt"));
            jar.write(String.valueOf(System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            jar.closeEntry();
        }
        return out;
    }

    private void runsAndStopsCleanly(Path javaHome) throws Exception {
        int http = demoConsolePort();
        int demoSsh = Net.freePort();
        int l = Net.freePort();
        Assembly felix = new Assembly(work.resolve("assembly-" + javaHome.getFileName()), http, "-Dsshtunnel.demo=true",
                "-Dsshtunnel.demo.ssh.port=" + demoSsh).onJava(javaHome);
        try {
            felix.start();
            Await.until(() -> "web console on " + javaHome + " (see " + felix.log() + ")", START,
                    () -> felix.http("/system/console/bundles", "admin") == 200); // the demo's console password
            // the demo tunnel's L mapping leads to the console: 10000 above its port
            Await.until("the console through the demo tunnel's L mapping", START,
                    () -> Assembly.httpAt(10_000 + http, "/system/console/bundles", "admin") == 200);
            // the demo's four kinds: each stand-in answers with where it runs
            int base = 10_000 + http;
            for (int[] m : new int[][] { { base + 2, 0 }, { base + 3, 0 }, { base + 4, 1 }, { base + 5, 1 } }) {
                String expected = m[1] == 0 ? "the customer's intranet service" : "this machine's service";
                String body = Await.until(() -> "the demo mapping at port " + m[0] + " (see " + felix.log() + ")", START,
                        () -> get(m[0]));
                assertTrue(body, body.startsWith(expected));
            }
            felix.drop("customer",
                    "name = customer",
                    "server.host = 127.0.0.1",
                    "server.port = " + sshd.port(),
                    "username = " + System.getProperty("user.name"),
                    "private.key.path = " + sshd.clientKey(),
                    "mappings = L " + l + ":127.0.0.1:" + echo.port() + " # echo");
            Await.until("bytes through OpenSSH with Ed25519 keys on both sides", START, () -> Net.echoes(l));

            // hot deployment: a rebuilt core bundle dropped into deploy/ replaces the running one in
            // place (no second engine), and every tunnel comes back by itself, configurations kept
            assertTrue("the launcher made the deploy folder", Files.isDirectory(felix.deploy()));
            long started = count(felix.logText(), "SSH tunnel engine started");
            long stops = count(felix.logText(), "SSH tunnel engine stopped");
            felix.hotDeploy(rebuiltCore(work.resolve("rebuilt-" + javaHome.getFileName())));
            Await.until(() -> "the engine stopped and started again from the rebuilt bundle (see " + felix.log() + ")", START,
                    () -> count(logText(felix), "SSH tunnel engine stopped") == stops + 1
                            && count(logText(felix), "SSH tunnel engine started") == started + 1);
            Await.until("bytes through OpenSSH again after the hot deployment", START, () -> Net.echoes(l));
            for (int port = base + 2; port <= base + 5; port++) {
                int p = port;
                Await.until(() -> "the demo mapping at port " + p + " again (see " + felix.log() + ")", START, () -> get(p));
            }
            Await.until("the console through the demo tunnel's L mapping again", START,
                    () -> Assembly.httpAt(10_000 + http, "/system/console/bundles", "admin") == 200);
            assertEquals("one engine: " + felix.log(), started + 1, count(felix.logText(), "SSH tunnel engine started"));

            String log = felix.logText();
            assertFalse(log, log.contains("No SLF4J providers"));
            assertFalse(log, log.contains("could not start"));
            assertFalse(log, log.contains("Error starting")); // Felix's words for a bundle that failed at its start level

            assertEquals("exit code after SIGTERM (see " + felix.log() + ")", 0, felix.terminate());
            String stopped = felix.logText();
            assertTrue("the engine was deactivated: " + felix.log(), stopped.contains("SSH tunnel engine stopped"));
            assertFalse("the L listener closed with the framework", Net.accepts("127.0.0.1", l));
            assertFalse("the console closed with the framework", Net.accepts("127.0.0.1", http));
        } finally {
            felix.stop();
        }
    }
}
