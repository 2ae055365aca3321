package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** The engine in Felix against an in-process MINA SSH server: the fast half of the truth. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MinaTunnelIT extends MinaTunnelTestSupport {

    @Test
    public void allFourKindsCarryBytesBothWays() throws Exception {
        int l = Net.freePort();
        int lg = Net.freePort();
        int r = Net.freePort();
        int rg = Net.freePort();
        create("kinds", tunnel("kinds", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port() + " # local",
                "L *:" + lg + ":127.0.0.1:" + echo.port() + " # local gateway",
                "R " + r + ":localhost:" + echo.port() + " # remote",
                "R *:" + rg + ":127.0.0.1:" + echo.port() + " # remote gateway"));
        TunnelStatus up = awaitState("kinds", TunnelState.UP);
        assertTrue(up.mappings().stream().allMatch(m -> m.state() == MappingState.ACTIVE));

        Net.assertEchoes("127.0.0.1", l, 64 * 1024);
        Net.assertEchoes("127.0.0.1", lg, 64 * 1024);
        Net.assertEchoes("127.0.0.1", r, 64 * 1024);
        Net.assertEchoes("127.0.0.1", rg, 64 * 1024);
        assertEquals("every byte went through a forwarded connection", 4, echo.accepted());

        // an L mapping without bind address listens on loopback only
        assertEquals("127.0.0.1", endpoint("kinds", "local").getProperty(MAPPING_BIND_HOST));
        assertEquals(Boolean.FALSE, endpoint("kinds", "local").getProperty(MAPPING_GATEWAY));
        assertEquals(Boolean.TRUE, endpoint("kinds", "local gateway").getProperty(MAPPING_GATEWAY));
        assertEquals(Boolean.TRUE, endpoint("kinds", "remote gateway").getProperty(MAPPING_GATEWAY));
    }

    @Test
    public void servicesAppearWithTheTunnelAndVanishWithIt() throws Exception {
        int l = Net.freePort();
        int r = Net.freePort();
        org.osgi.service.cm.Configuration c = create("svc", tunnel("svc", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port() + " # LDAP", "R " + r + ":localhost:" + echo.port()));
        awaitState("svc", TunnelState.UP);
        ServiceReference<?> t = Await.until("Tunnel service", TIMEOUT, () -> tunnelService("svc"));
        assertEquals(c.getPid(), t.getProperty(TUNNEL_ID));
        assertEquals("UP", t.getProperty(TUNNEL_STATE));
        assertEquals("127.0.0.1:" + server.port(), t.getProperty(SSH_SERVER));
        assertNull("no secret in service properties", t.getProperty(PASSWORD));

        ServiceReference<TunnelEndpoint> ldap = endpoint("svc", "LDAP");
        assertEquals("L", ldap.getProperty(MAPPING_KIND));
        assertEquals(l, ldap.getProperty(MAPPING_BIND_PORT));
        assertEquals("localhost", ldap.getProperty(MAPPING_TARGET_HOST));
        assertEquals(echo.port(), ldap.getProperty(MAPPING_TARGET_PORT));
        TunnelEndpoint ep = context.getService(ldap);
        try {
            Net.assertEchoes(ep.address(), 1000); // the address as given, as a consumer would use it
            assertNull("the administrator's tunnel: no owner", ep.owner());
        } finally {
            context.ungetService(ldap);
        }
        assertEquals(2, endpoints("svc").size());
        assertFalse(events(TOPIC_TUNNEL + "UP", "svc").isEmpty());
        assertEquals(2, events(TOPIC_MAPPING + "ACTIVE", "svc").size());

        // remove one mapping: the other keeps its listener and its service
        Hashtable<String, Object> p = tunnel("svc", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port() + " # LDAP");
        int sessionsBefore = server.sessions();
        c.update(p);
        Await.until("R endpoint gone", TIMEOUT, () -> endpoints("svc").size() == 1);
        Await.until("R port closed on the server", TIMEOUT, () -> !Net.accepts("127.0.0.1", r));
        Net.assertEchoes("127.0.0.1", l, 1000);
        assertEquals("no reconnect for a mapping change", sessionsBefore, server.sessions());

        c.delete();
        Await.until("services gone", TIMEOUT, () -> tunnelService("svc") == null && endpoints("svc").isEmpty());
        Await.until("L port closed", TIMEOUT, () -> !Net.accepts("127.0.0.1", l));
    }

    @Test
    public void aConsumerSlowToActivateHoldsNeitherTheTunnelNorItsOtherMappingsBack() throws Exception {
        int l1 = Net.freePort();
        int l2 = Net.freePort();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        // a consumer's @Activate runs inside registerService: this one blocks until the test lets it go
        org.osgi.framework.ServiceListener slow = e -> {
            if (e.getType() == org.osgi.framework.ServiceEvent.REGISTERED && "slow".equals(e.getServiceReference().getProperty(TUNNEL_NAME))
                    && held.getAndIncrement() == 0) {
                try {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        context.addServiceListener(slow, "(objectClass=" + TunnelEndpoint.class.getName() + ")");
        try {
            create("slow", tunnel("slow", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                    "L " + l1 + ":localhost:" + echo.port(), "L " + l2 + ":localhost:" + echo.port()));
            // while the first endpoint's consumer is still activating: the tunnel is UP and both mappings carry bytes
            Await.until("a consumer activating", TIMEOUT, () -> held.get() > 0);
            awaitState("slow", TunnelState.UP);
            Net.assertEchoes("127.0.0.1", l1, 1000);
            Net.assertEchoes("127.0.0.1", l2, 1000);
            assertEquals("still inside the consumer's activation", 1, release.getCount());
        } finally {
            release.countDown();
            context.removeServiceListener(slow);
        }
        Await.until("both endpoints once the consumer is done", TIMEOUT, () -> endpoints("slow").size() == 2);
    }

    @Test
    public void trustOnFirstUseWritesTheFingerprintBack() throws Exception {
        org.osgi.service.cm.Configuration c = create("tofu", tunnel("tofu", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + Net.freePort() + ":localhost:" + echo.port()));
        awaitState("tofu", TunnelState.UP);
        // pinned before UP is reported: an operator who edits the tunnel once it is up cannot race the
        // engine's write (Config Admin has no compare-and-set, and a lost race loses the edit)
        assertEquals("the fingerprint is in the configuration once the tunnel is UP", server.fingerprint(),
                configProperties(c).get(FINGERPRINT));
        // the engine takes the written-back configuration over without reconnecting
        TunnelStatus s = Await.until("the tunnel runs with the pinned fingerprint", TIMEOUT, () -> status("tofu")
                .filter(t -> server.fingerprint().equals(t.spec().fingerprint())).orElse(null));
        assertEquals(TunnelState.UP, s.state());
        assertEquals("writing the fingerprint back does not bounce the tunnel", 1, server.sessions());
    }

    @Test
    public void wrongPinnedFingerprintFailsBeforeAuthentication() throws Exception {
        Hashtable<String, Object> p = tunnel("pinned", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + Net.freePort() + ":localhost:" + echo.port());
        p.put(FINGERPRINT, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        create("pinned", p);
        TunnelStatus s = awaitState("pinned", TunnelState.FAILED);
        assertTrue(s.reason(), s.reason().contains("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertTrue(s.reason(), s.reason().contains(server.fingerprint()));
        assertEquals("no password was offered to an unpinned server", 0, server.passwordAttempts());
        assertNull(s.nextAttempt());
    }

    @Test
    public void wrongPasswordFailsAfterExactlyOneAttempt() throws Exception {
        create("badpw", tunnel("badpw", server.port(), MinaServer.USER, "wrong-password",
                "L " + Net.freePort() + ":localhost:" + echo.port()));
        TunnelStatus s = awaitState("badpw", TunnelState.FAILED);
        assertEquals(1, server.passwordAttempts());
        assertTrue(s.reason(), s.reason().contains("rejected"));
        assertFalse("the password never appears in the status", s.toString().contains("wrong-password"));
        assertNull("no retry is scheduled", s.nextAttempt());
        // a FAILED tunnel stays FAILED: the connection count does not grow
        int sessions = server.sessions();
        assertEquals(TunnelState.FAILED, status("badpw").get().state());
        assertEquals(sessions, server.sessions());
    }

    @Test
    public void serverRestartIsSurvived() throws Exception {
        int l = Net.freePort();
        create("restart", tunnel("restart", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port()));
        awaitState("restart", TunnelState.UP);
        Await.until("endpoint", TIMEOUT, () -> endpoints("restart").size() == 1);
        server.stop();
        TunnelStatus retrying = awaitState("restart", TunnelState.RETRYING);
        assertNotNull(retrying.nextAttempt());
        Await.until("services gone while down", TIMEOUT, () -> tunnelService("restart") == null && endpoints("restart").isEmpty());
        server.start();
        awaitState("restart", TunnelState.UP, Duration.ofSeconds(20));
        Await.until("endpoint back", TIMEOUT, () -> endpoints("restart").size() == 1);
        Net.assertEchoes("127.0.0.1", l, 1000);
        assertFalse(events(TOPIC_TUNNEL + "RETRYING", "restart").isEmpty());
    }

    @Test
    public void badInputIsInvalidWithTheFieldNamedAndOthersUnaffected() throws Exception {
        int good = Net.freePort();
        create("good", tunnel("good", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + good + ":localhost:" + echo.port()));
        awaitState("good", TunnelState.UP);

        Hashtable<String, Object> noHost = tunnel("nohost", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L 1:a:1");
        noHost.remove(SERVER_HOST);
        Hashtable<String, Object> port0 = tunnel("port0", 0, MinaServer.USER, MinaServer.PASSWORD, "L 20001:a:1");
        Hashtable<String, Object> port70000 = tunnel("port70000", 70000, MinaServer.USER, MinaServer.PASSWORD, "L 20002:a:1");
        Hashtable<String, Object> badMapping = tunnel("badmap", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L 20003:host", "X 1:2:3");
        Hashtable<String, Object> badKey = tunnel("badkey", server.port(), MinaServer.USER, null, "L 20004:a:1");
        badKey.put(PRIVATE_KEY_PATH, "/nonexistent/id_ed25519");
        Hashtable<String, Object> badType = tunnel("badtype", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L 20005:a:1");
        badType.put(KEEPALIVE_SECONDS, "often");

        Map<String, String[]> expect = Map.of(
                "nohost", new String[] { SERVER_HOST, "server.host is not set" },
                "port0", new String[] { SERVER_PORT, "server.port 0" },
                "port70000", new String[] { SERVER_PORT, "server.port 70000" },
                "badmap", new String[] { MAPPINGS, "L 20003:host" },
                "badkey", new String[] { PRIVATE_KEY_PATH, "/nonexistent/id_ed25519" },
                "badtype", new String[] { KEEPALIVE_SECONDS, "\"often\"" });
        create("nohost", noHost);
        create("port0", port0);
        create("port70000", port70000);
        org.osgi.service.cm.Configuration bm = create("badmap", badMapping);
        create("badkey", badKey);
        create("badtype", badType);
        for (Map.Entry<String, String[]> e : expect.entrySet()) {
            TunnelStatus s = awaitState(e.getKey(), TunnelState.INVALID);
            String findings = s.findings().stream().map(Object::toString).collect(Collectors.joining("\n"));
            assertTrue(e.getKey() + ": " + findings, s.findings().stream().anyMatch(
                    f -> f.isError() && f.property().equals(e.getValue()[0]) && f.message().contains(e.getValue()[1])));
        }
        TunnelStatus bad = status("badmap").get();
        assertEquals("both bad entries are reported", 2,
                bad.findings().stream().filter(f -> f.code().equals(io.sshtunnel.api.FindingCodes.MAPPING_SYNTAX)).count());
        assertTrue("and that none is left", bad.findings().stream().anyMatch(f -> f.code().equals(io.sshtunnel.api.FindingCodes.REQUIRED)
                && f.message().startsWith("mappings has no usable entry")));
        assertTrue(bad.findings().toString(), bad.findings().stream().anyMatch(f -> f.mappingIndex() == 1 && f.message().contains("\"X\"")));
        // nothing was lost from the configuration
        assertEquals(List.of("L 20003:host", "X 1:2:3"), List.of((String[]) configProperties(bm).get(MAPPINGS)));
        assertFalse("an invalid tunnel opens no listener", Net.accepts("127.0.0.1", 20001));
        // the valid tunnel kept working throughout
        assertEquals(TunnelState.UP, status("good").get().state());
        Net.assertEchoes("127.0.0.1", good, 1000);
    }

    private ServiceReference<TunnelEndpoint> endpoint(String tunnel, String label) {
        return Await.until("endpoint " + label, TIMEOUT, () -> endpoints(tunnel).stream()
                .filter(r -> label.equals(r.getProperty(MAPPING_LABEL))).findFirst().orElse(null));
    }

    /**
     * A new connection through R costs a socket and a channel, not a thread: MINA's own channel
     * started a thread pool and a thread to close each one (58,000 threads in a benchmark of
     * 50,000 connections).
     */
    @Test
    public void connectionsThroughRStartNoThreadEach() throws Exception {
        int r = Net.freePort();
        create("r-many", tunnel("r-many", server.port(), MinaServer.USER, MinaServer.PASSWORD, "R " + r + ":localhost:" + echo.port()));
        awaitState("r-many", TunnelState.UP);
        for (int i = 0; i < 20; i++) {
            Net.assertEchoes("127.0.0.1", r, 100); // the echo server's and MINA's pools have their threads
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getTotalStartedThreadCount();
        for (int i = 0; i < 300; i++) {
            Net.assertEchoes("127.0.0.1", r, 100);
        }
        long started = threads.getTotalStartedThreadCount() - before;
        assertTrue("threads started in the whole JVM for 300 connections through R: " + started, started < 50);
    }

    @Test
    public void twoRemoteMappingsToOneTargetStayIndependent() throws Exception {
        int a = Net.freePort();
        int b = Net.freePort();
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", b)); // the server cannot listen on b
            create("two-r", tunnel("two-r", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                    "R " + a + ":localhost:" + echo.port(), "R " + b + ":localhost:" + echo.port()));
            TunnelStatus degraded = awaitState("two-r", TunnelState.DEGRADED);
            assertEquals(MappingState.FAILED, degraded.mappings().get(1).state());
            // the failing mapping (retried meanwhile) must not lock the working one out of the shared target
            for (int i = 0; i < 5; i++) {
                Net.assertEchoes("127.0.0.1", a, 1000);
            }
        }
        awaitState("two-r", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", a, 1000);
        Net.assertEchoes("127.0.0.1", b, 1000);
    }

    @Test
    public void aBlackHoledConnectionIsDeclaredDeadAndRebuilt() throws Exception {
        int l = Net.freePort();
        try (FreezableProxy proxy = new FreezableProxy(server.port())) {
            Hashtable<String, Object> p = tunnel("hole", proxy.port(), MinaServer.USER, MinaServer.PASSWORD,
                    "L " + l + ":localhost:" + echo.port());
            create("hole", p); // keepalive.seconds=1: dead after 3 unanswered probes
            awaitState("hole", TunnelState.UP);
            long frozen = System.nanoTime();
            proxy.freeze();
            TunnelStatus lost = awaitState("hole", TunnelState.RETRYING, Duration.ofSeconds(10));
            long detectedMs = (System.nanoTime() - frozen) / 1_000_000;
            Figures.record("black hole", "declared dead (keepalive.seconds=1, goal ≤ 4 s)", detectedMs + " ms");
            assertTrue(lost.reason(), lost.reason().contains("keepalive"));
            proxy.thaw();
            awaitState("hole", TunnelState.UP, Duration.ofSeconds(20));
            Net.assertEchoes("127.0.0.1", l, 1000);
        }
    }

    @Test
    public void aConfigurationWipedByAHalfReadFileIsKeptAndRestored() throws Exception {
        int l = Net.freePort();
        org.osgi.service.cm.Configuration c = create("wiped", tunnel("wiped", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port()));
        awaitState("wiped", TunnelState.UP);
        Hashtable<String, Object> empty = new Hashtable<>();
        empty.put(NAME, "wiped");
        c.update(empty); // what FileInstall does when it reads a .cfg file it is rewriting at that moment
        Await.until("the configuration restored", TIMEOUT, () -> {
            try {
                return "127.0.0.1".equals(configProperties(c).get(SERVER_HOST));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(TunnelState.UP, status("wiped").get().state());
        Net.assertEchoes("127.0.0.1", l, 1000);
    }
}
