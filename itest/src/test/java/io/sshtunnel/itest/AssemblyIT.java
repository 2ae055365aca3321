package io.sshtunnel.itest;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The product as a user runs it: {@code java -jar features/target/sshtunnel.jar} with the port,
 * FileInstall folder and storage given on the command line, a {@code .cfg} file dropped into the
 * folder, a real OpenSSH sshd behind it, and a restart on the same storage.
 */
public class AssemblyIT {
    private static final Duration START = Duration.ofSeconds(60);

    private OpenSsh sshd;
    private EchoServer echo;
    private Process felix;
    private Path work;

    @Before
    public void setUp() throws Exception {
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        work = Path.of(System.getProperty("itest.work", "target/itest-work"), "assembly-" + System.nanoTime()).toAbsolutePath();
        sshd = OpenSsh.start(work.resolve("sshd"), null);
        echo = new EchoServer();
    }

    @After
    public void tearDown() throws Exception {
        stopFelix();
        if (echo != null) {
            echo.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private void startFelix(int httpPort, Path conf, Path storage) throws IOException {
        String jar = System.getProperty("assembly.jar", "../features/target/sshtunnel.jar");
        assertTrue("assembly " + jar + " exists (build it with mvn install)", new File(jar).isFile());
        List<String> cmd = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Dorg.osgi.service.http.port=" + httpPort,
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dorg.osgi.framework.storage=" + storage,
                "-Dgosh.args=--nointeractive",
                "-jar", new File(jar).getAbsolutePath()));
        felix = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("felix.log").toFile())).start();
    }

    private void stopFelix() throws Exception {
        if (felix != null) {
            felix.destroy();
            if (!felix.waitFor(20, TimeUnit.SECONDS)) {
                felix.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            felix = null;
        }
    }

    private boolean echoes(int port) {
        try {
            Net.assertEchoes("127.0.0.1", port, 16);
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private static int http(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
            c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.US_ASCII)));
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    public void configFileDropOpensATunnelThatSurvivesARestart() throws Exception {
        int httpPort = Net.freePort();
        int l = Net.freePort();
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path storage = work.resolve("storage");
        startFelix(httpPort, conf, storage);
        Await.until("web console on the port given with -D (see " + work.resolve("felix.log") + ")", START,
                () -> http(httpPort, "/system/console/bundles") == 200);
        assertTrue("the storage folder given with -D is used", Files.isDirectory(storage));

        Path cfg = conf.resolve("io.sshtunnel.tunnel-customer.cfg");
        Path tmp = work.resolve("customer.cfg.tmp");
        Files.writeString(tmp, String.join("\n",
                "name = customer",
                "server.host = 127.0.0.1",
                "server.port = " + sshd.port(),
                "username = " + System.getProperty("user.name"),
                "private.key.path = " + sshd.clientKey(),
                "mappings = L " + l + ":127.0.0.1:" + echo.port() + " # echo",
                ""));
        long dropped = System.nanoTime();
        Files.move(tmp, cfg);
        Await.until("bytes through the L mapping of the dropped .cfg", Duration.ofSeconds(30), () -> echoes(l));
        System.out.printf("FIGURE .cfg dropped -> first byte through L (OpenSSH): %d ms%n", (System.nanoTime() - dropped) / 1_000_000);

        String written = Await.until("fingerprint written back into the .cfg file", Duration.ofSeconds(30), () -> {
            try {
                String text = Files.readString(cfg);
                return text.contains("SHA256:") ? text : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertTrue(written, written.contains(sshd.fingerprint()));

        stopFelix();
        Await.until("listener gone with the framework", Duration.ofSeconds(20), () -> !Net.accepts("127.0.0.1", l));
        long restarted = System.nanoTime();
        startFelix(httpPort, conf, storage);
        Await.until("tunnel back after a restart on the same storage", START, () -> echoes(l));
        System.out.printf("FIGURE framework restart -> first byte through L: %d ms%n", (System.nanoTime() - restarted) / 1_000_000);
        assertFalse("nothing in the log reveals a secret", Files.readString(work.resolve("felix.log")).contains("PRIVATE KEY"));
        Await.until("web console back", START, () -> http(httpPort, "/system/console/bundles") == 200);
    }
}
