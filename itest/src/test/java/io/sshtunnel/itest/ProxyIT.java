package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.PROXY;
import static io.sshtunnel.api.TunnelConstants.PROXY_PASSWORD;
import static io.sshtunnel.api.TunnelConstants.PROXY_USERNAME;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * Through the company's proxy, against real proxies and the real OpenSSH server: Debian's
 * {@code tinyproxy} as the HTTP proxy (with and without a password) and OpenSSH's own {@code ssh -D}
 * as the SOCKS 5 proxy. Bytes cross; a wrong proxy password is {@code FAILED} after one attempt,
 * with the proxy's answer as the reason; the proxy's password never shows in the status.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProxyIT extends OpenSshTestSupport {
    private final List<Process> processes = new ArrayList<>();
    private Path work;

    @Before
    public void startSshd() throws Exception {
        startServers(null);
        work = Files.createDirectories(Path.of(System.getProperty("itest.work", "target/itest-work"), "proxy-" + System.nanoTime())
                .toAbsolutePath());
    }

    @After
    public void stopProxies() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** tinyproxy on loopback in the foreground; with a user and password when given. */
    private int tinyproxy(String user, String password) throws Exception {
        Path binary = Path.of("/usr/bin/tinyproxy");
        Requirements.require(Files.isExecutable(binary), "tinyproxy is not installed (Debian: tinyproxy; CI installs it)");
        int port = Net.freePort();
        Path conf = work.resolve("tinyproxy-" + port + ".conf");
        List<String> lines = new ArrayList<>(List.of("Port " + port, "Listen 127.0.0.1", "Timeout 60", "Allow 127.0.0.1",
                "MaxClients 20", "LogLevel Info", "LogFile \"" + work.resolve("tinyproxy-" + port + ".log") + "\""));
        if ("root".equals(System.getProperty("user.name"))) {
            lines.add("User nobody");
            lines.add("Group nogroup");
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        if (user != null) {
            lines.add("BasicAuth " + user + " " + password);
        }
        Files.write(conf, lines, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(binary.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("tinyproxy-" + port + ".out").toFile()).start();
        processes.add(p);
        Await.until("tinyproxy listening on " + port, TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("tinyproxy ended: " + read(work.resolve("tinyproxy-" + port + ".out")));
            }
            return Net.accepts("127.0.0.1", port);
        });
        return port;
    }

    /** OpenSSH's own SOCKS 5 proxy: ssh -D to the same sshd. */
    private int sshSocks() throws Exception {
        int port = Net.freePort();
        Process p = new ProcessBuilder("ssh", "-N", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i", sshd.clientKey().toString(), "-p",
                Integer.toString(sshd.port()), "-D", "127.0.0.1:" + port, System.getProperty("user.name") + "@127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        Await.until("ssh -D listening on " + port, TIMEOUT, () -> Net.accepts("127.0.0.1", port));
        return port;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private Hashtable<String, Object> proxied(String name, int local, String proxy, String user, String password) {
        Hashtable<String, Object> p = keyTunnel(name, sshd.port(), "L " + local + ":127.0.0.1:" + echo.port());
        p.put(PROXY, proxy);
        if (user != null) {
            p.put(PROXY_USERNAME, user);
        }
        if (password != null) {
            p.put(PROXY_PASSWORD, password);
        }
        return p;
    }

    @Test
    public void throughAnHttpProxyWithAndWithoutAPasswordAndThroughSocks5() throws Exception {
        int open = tinyproxy(null, null);
        int l1 = Net.freePort();
        create("http-open", proxied("http-open", l1, "http://127.0.0.1:" + open, null, null));
        awaitState("http-open", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l1, 64 * 1024);

        String secret = "s3cr3t-" + System.nanoTime();
        int guarded = tinyproxy("tunnel", secret);
        int l2 = Net.freePort();
        create("http-auth", proxied("http-auth", l2, "http://127.0.0.1:" + guarded, "tunnel", secret));
        TunnelStatus up = awaitState("http-auth", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l2, 64 * 1024);
        assertFalse("no proxy password in the status", up.toString().contains(secret) || up.spec().toString().contains(secret));

        int socks = sshSocks();
        int l3 = Net.freePort();
        create("socks5", proxied("socks5", l3, "socks5://127.0.0.1:" + socks, null, null));
        awaitState("socks5", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l3, 64 * 1024);
        assertTrue("three tunnels and ssh -D itself logged in", sshd.count("Accepted publickey") >= 4);
    }

    @Test
    public void aWrongProxyPasswordFailsAfterOneAttemptAndAProxyRefusalIsItsReason() throws Exception {
        int guarded = tinyproxy("tunnel", "right");
        int local = Net.freePort();
        create("wrong", proxied("wrong", local, "http://127.0.0.1:" + guarded, "tunnel", "wrong"));
        TunnelStatus failed = awaitState("wrong", TunnelState.FAILED);
        assertTrue(failed.reason(), failed.reason().contains("rejected proxy.username \"tunnel\""));
        assertEquals("one attempt, not retried", 1, failed.attempts());
        assertEquals("nothing reached the SSH server", 0, sshd.count("Accepted publickey"));

        // a proxy that is not there: retried like a network error, saying which proxy
        int nobody = Net.freePort();
        create("absent", proxied("absent", Net.freePort(), "socks5://127.0.0.1:" + nobody, null, null));
        TunnelStatus retrying = Await.until("the tunnel retrying, naming the proxy", TIMEOUT, () -> status("absent")
                .filter(s -> s.state() == TunnelState.RETRYING && s.reason() != null && s.reason().contains("127.0.0.1:" + nobody))
                .orElse(null));
        assertTrue(retrying.reason(), retrying.reason().contains("refused the connection"));
    }
}
