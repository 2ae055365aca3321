package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * The engine against a real OpenSSH sshd on 127.0.0.1: the truth. Password authentication needs
 * a system account, which CI creates and names in {@code itest.ssh.user} / {@code itest.ssh.password};
 * key authentication logs in as the user running the tests.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenSshTunnelIT extends OpenSshTestSupport {
    @Before
    public void startSshd() throws Exception {
        startServers(null);
    }

    private static String property(String key) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? null : v;
    }

    private Hashtable<String, Object> keyFileTunnel(String name, Path key, String passphrase, String... mappings) {
        Hashtable<String, Object> p = tunnel(name, sshd.port(), System.getProperty("user.name"), null, mappings);
        p.put(PRIVATE_KEY_PATH, key.toString());
        if (passphrase != null) {
            p.put(PRIVATE_KEY_PASSPHRASE, passphrase);
        }
        return p;
    }

    @Test
    public void passwordAuthenticationCarriesDataBothWaysAndPinsTheRealFingerprint() throws Exception {
        String user = property("itest.ssh.user");
        String password = property("itest.ssh.password");
        Requirements.require(user != null && password != null,
                "no test account with a password (set SSHTUNNEL_IT_USER / SSHTUNNEL_IT_PASSWORD; CI does)");
        int l = Net.freePort();
        int r = Net.freePort();
        org.osgi.service.cm.Configuration c = create("ossh-pw", tunnel("ossh-pw", sshd.port(), user, password,
                "L " + l + ":localhost:" + echo.port() + " # echo through sshd",
                "R " + r + ":localhost:" + echo.port() + " # echo from sshd's side"));
        TunnelStatus up = awaitState("ossh-pw", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l, 256 * 1024);
        Net.assertEchoes("127.0.0.1", r, 256 * 1024);
        assertEquals("the fingerprint is the one ssh-keygen -lf prints", sshd.fingerprint(), up.serverFingerprint());
        Object written = Await.until("fingerprint written back", TIMEOUT, () -> {
            try {
                return configProperties(c).get(FINGERPRINT);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(sshd.fingerprint(), written);
        assertEquals("one password attempt, accepted", 0, sshd.count("Failed password"));
        assertEquals(1, sshd.count("Accepted password for " + user));
    }

    @Test
    public void wrongPasswordIsTriedExactlyOnce() throws Exception {
        String user = property("itest.ssh.user");
        Requirements.require(user != null, "no test account (set SSHTUNNEL_IT_USER; CI does)");
        long mark = sshd.logLines();
        create("ossh-badpw", tunnel("ossh-badpw", sshd.port(), user, "not-the-password", "L " + Net.freePort() + ":localhost:1"));
        TunnelStatus s = awaitState("ossh-badpw", TunnelState.FAILED);
        assertTrue(s.reason(), s.reason().contains("rejected"));
        // the connection's end in sshd's log comes after every attempt made on it; FAILED makes no other connection
        Await.until(() -> "sshd logged the end of the connection:\n" + sshd.log(), TIMEOUT,
                () -> sshd.countSince(mark, "authenticating user " + user) >= 1);
        assertEquals("exactly one password attempt reached sshd", 1, sshd.countSince(mark, "Failed password"));
    }

    /**
     * Half-close through OpenSSH, both ways. {@code L}: a client sends its request, shuts down its
     * sending side and waits for the answer, which the target gives only after that EOF. {@code R}:
     * the target on this machine speaks first, shuts down its sending side and waits for the
     * client's reply. Each EOF crosses the tunnel as {@code SSH_MSG_CHANNEL_EOF}; the other
     * direction stays open until it is done.
     */
    @Test
    public void aHalfCloseCrossesTheTunnelAndTheOtherDirectionStaysOpen() throws Exception {
        byte[] greeting = "220 this machine's service speaks first, then listens\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (HalfCloseServer answering = HalfCloseServer.answeringAfterEof(); HalfCloseServer speaking = HalfCloseServer.speakingFirst(greeting)) {
            int l = Net.freePort();
            int r = Net.freePort();
            create("halfclose", keyFileTunnel("halfclose", sshd.clientKey(), null, "L " + l + ":127.0.0.1:" + answering.port(),
                    "R " + r + ":127.0.0.1:" + speaking.port()));
            awaitState("halfclose", TunnelState.UP);
            byte[] request = new byte[300 * 1024];
            new java.util.Random(7).nextBytes(request);
            for (int round = 0; round < 3; round++) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", l)) {
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(request);
                    s.shutdownOutput();
                    byte[] answer = s.getInputStream().readAllBytes();
                    assertEquals("L round " + round + ": the whole answer after the client's EOF", request.length, answer.length);
                    for (int i = 0; i < request.length; i++) {
                        assertEquals("L round " + round + ", byte " + i, request[request.length - 1 - i], answer[i]);
                    }
                }
                byte[] reply = ("client reply " + round).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", r)) { // sshd's side of R, on the server
                    s.setSoTimeout(20_000);
                    byte[] heard = s.getInputStream().readAllBytes(); // until the service's EOF
                    assertEquals("R round " + round + ": the greeting, then EOF", new String(greeting, java.nio.charset.StandardCharsets.US_ASCII),
                            new String(heard, java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().write(reply);
                    s.shutdownOutput();
                }
                byte[] got = speaking.reply(20);
                assertEquals("R round " + round + ": the service got the reply sent after its EOF", "client reply " + round,
                        got == null ? null : new String(got, java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertEquals(TunnelState.UP, status("halfclose").get().state());
        }
    }

    /**
     * 200 downloads through one tunnel across an 80 ms round trip, whose readers on this machine
     * read nothing: what the tunnel holds for them is bounded by its window budget (64 MiB, then
     * 256 KiB per channel), not by 200 whole windows (3.2 GiB at the 16 MiB such a path gets).
     * Measured as the heap after a full GC, with the readers stalled and the flow stopped, against
     * the heap before they connected.
     */
    @Test
    public void twoHundredStalledReadersHoldNoMoreThanTheWindowBudget() throws Exception {
        final int readers = 200;
        final long each = 128L << 20; // more than any window and all the socket buffers on the way: every channel fills
        byte[] block = new byte[64 * 1024];
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.net.Socket> readersSockets = new java.util.ArrayList<>();
        try (FreezableProxy path = new FreezableProxy(sshd.port()).delay(Duration.ofMillis(40));
                TestServer source = new TestServer("itest-source", s -> {
                    java.io.OutputStream out = s.getOutputStream();
                    for (long sent = 0; sent < each; sent += block.length) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                    finished.incrementAndGet();
                })) {
            int l = Net.freePort();
            Hashtable<String, Object> far = tunnel("stalled", path.port(), System.getProperty("user.name"), null,
                    "L " + l + ":127.0.0.1:" + source.port());
            far.put(PRIVATE_KEY_PATH, sshd.clientKey().toString());
            create("stalled", far);
            awaitState("stalled", TunnelState.UP);
            long before = heapAfterGc();
            for (int i = 0; i < readers; i++) {
                java.net.Socket s = new java.net.Socket();
                s.setReceiveBufferSize(64 * 1024);
                readersSockets.add(s);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", l), 5000);
            }
            // the flow stops once every window and socket buffer is full: no byte written for 3 s
            Await.steady("the downloads to stall (bytes written by the source)", Duration.ofSeconds(120), written::get,
                    Duration.ofSeconds(3));
            long held = heapAfterGc() - before;
            Figures.record("stalled readers", readers + " stalled downloads through one tunnel, 80 ms round trip: heap held (budget 64 MiB + 256 KiB per channel beyond it)",
                    (held >> 20) + " MiB, the source wrote " + (written.get() >> 20) + " MiB; " + status("stalled").get().mappings().get(0).counters());
            assertTrue("200 stalled readers hold " + (held >> 20) + " MiB of heap, more than the window budget allows",
                    held < 160L << 20);
            assertEquals("downloads that finished: every one must be held up by its stalled reader", 0, finished.get());
            assertEquals(TunnelState.UP, status("stalled").get().state());
        } finally {
            for (java.net.Socket s : readersSockets) {
                s.close();
            }
        }
    }

    @Test
    public void ed25519KeyAuthenticationCarriesData() throws Exception {
        int l = Net.freePort();
        create("ossh-key", keyFileTunnel("ossh-key", sshd.clientKey(), null, "L " + l + ":127.0.0.1:" + echo.port()));
        awaitState("ossh-key", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l, 64 * 1024);
        assertTrue(sshd.log(), sshd.count("Accepted publickey") >= 1);
        // what was negotiated, as the server saw it: AES-GCM (fast on the JDK's AES intrinsics), curve25519 or better
        assertTrue(sshd.log(), sshd.count("cipher: aes128-gcm@openssh.com") >= 2);
        assertEquals(sshd.log(), 0, sshd.count("cbc"));
        assertTrue(sshd.log(), sshd.log().lines().anyMatch(x -> x.contains("kex: algorithm:")
                && (x.contains("curve25519") || x.contains("mlkem") || x.contains("sntrup"))));
    }

    @Test
    public void passphraseProtectedPemKeyAuthenticates() throws Exception {
        int l = Net.freePort();
        create("ossh-pem", keyFileTunnel("ossh-pem", sshd.pemKey(), OpenSsh.pemPassphrase(), "L " + l + ":127.0.0.1:" + echo.port()));
        awaitState("ossh-pem", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l, 64 * 1024);
    }

    @Test
    public void remotePortStillHeldOnTheServerIsRetriedUntilFreeWhileOthersWork() throws Exception {
        int held = Net.freePort();
        int l = Net.freePort();
        // what a dead session's listener looks like to sshd: the port is bound on the server's host,
        // on both loopback addresses ("localhost" binds both, and one free address is enough for sshd)
        java.net.ServerSocket stale = new java.net.ServerSocket();
        stale.bind(new java.net.InetSocketAddress("127.0.0.1", held));
        java.net.ServerSocket stale6 = new java.net.ServerSocket();
        try {
            stale6.bind(new java.net.InetSocketAddress("::1", held));
        } catch (java.io.IOException noIpv6) {
            stale6.close(); // no IPv6 loopback here: sshd cannot use it either
        }
        try {
            create("ossh-stale", keyFileTunnel("ossh-stale", sshd.clientKey(), null,
                    "L " + l + ":127.0.0.1:" + echo.port(), "R " + held + ":localhost:" + echo.port()));
            TunnelStatus degraded = awaitState("ossh-stale", TunnelState.DEGRADED);
            MappingStatus r = degraded.mappings().get(1);
            assertEquals(MappingState.FAILED, r.state());
            assertTrue(r.reason(), r.reason().contains("ClientAliveInterval"));
            // the other mapping works meanwhile
            Net.assertEchoes("127.0.0.1", l, 1000);
            assertEquals(1, endpoints("ossh-stale").size());
        } finally {
            stale.close();
            stale6.close();
        }
        long freed = System.nanoTime();
        awaitState("ossh-stale", TunnelState.UP, Duration.ofSeconds(20));
        Figures.millis("remote port held", "port freed on the server → R mapping active", freed);
        Net.assertEchoes("127.0.0.1", held, 1000);
        assertEquals(2, endpoints("ossh-stale").size());
    }

    @Test
    public void sshdKilledAndRestartedTunnelComesBack() throws Exception {
        int l = Net.freePort();
        int r = Net.freePort();
        create("ossh-restart", keyFileTunnel("ossh-restart", sshd.clientKey(), null,
                "L " + l + ":127.0.0.1:" + echo.port(), "R " + r + ":localhost:" + echo.port()));
        awaitState("ossh-restart", TunnelState.UP);
        // the key pinned on first use is written back and applied just after UP: killing sshd before
        // that races the engine's reconnect for the new configuration against the kill (a session
        // sshd forks meanwhile outlives its daemon)
        Await.until("the pinned key applied", TIMEOUT, () -> status("ossh-restart")
                .filter(st -> st.state() == TunnelState.UP && st.spec().fingerprint() != null).orElse(null));
        sshd.kill();
        TunnelStatus down = awaitState("ossh-restart", TunnelState.RETRYING);
        assertNotNull(down.nextAttempt());
        Await.until("services gone", TIMEOUT, () -> tunnelService("ossh-restart") == null);
        long restarted = System.nanoTime();
        sshd.start();
        awaitState("ossh-restart", TunnelState.UP, Duration.ofSeconds(20));
        Figures.millis("sshd restart", "sshd restarted → UP (reconnect.max.seconds=2)", restarted);
        Net.assertEchoes("127.0.0.1", l, 1000);
        Net.assertEchoes("127.0.0.1", r, 1000);
        assertEquals(2, endpoints("ossh-restart").size());
    }

    /**
     * A tunnel from an OpenSSH client configuration: tunnel:import reads the Host block with MINA's
     * parser, creates the tunnel (checked first), says which options it did not take, and the
     * tunnel carries bytes through the real sshd.
     */
    @Test
    public void aHostBlockOfAnSshConfigBecomesATunnelThatCarriesBytes() throws Exception {
        int local = Net.freePort();
        java.nio.file.Path config = java.nio.file.Files.createTempFile(sshd.dir(), "ssh_config", "");
        java.nio.file.Files.writeString(config, String.join("\n",
                "Host *",
                "    ServerAliveInterval 30",
                "Host imported",
                "    HostName 127.0.0.1",
                "    Port " + sshd.port(),
                "    User " + System.getProperty("user.name"),
                "    IdentityFile " + sshd.clientKey(),
                "    LocalForward " + local + " 127.0.0.1:" + echo.port(),
                "    ServerAliveInterval 1",
                "    Compression yes",
                ""));
        org.apache.felix.service.command.CommandProcessor processor = context.getService(
                context.getServiceReference(org.apache.felix.service.command.CommandProcessor.class));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream ps = new java.io.PrintStream(out, true, "UTF-8")) {
            org.apache.felix.service.command.CommandSession session = processor.createSession(
                    new java.io.ByteArrayInputStream(new byte[0]), ps, ps);
            try {
                session.execute("tunnel:import " + config);
            } finally {
                session.close();
            }
        }
        String printed = out.toString("UTF-8");
        assertTrue(printed, printed.contains("tunnel \"imported\" created"));
        assertTrue(printed, printed.contains("not taken: Compression yes"));
        awaitState("imported", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", local, 64 * 1024);
        org.osgi.service.cm.Configuration[] made = configAdmin.listConfigurations("(name=imported)");
        assertEquals(1, made.length);
        created.add(made[0]);
    }
}
