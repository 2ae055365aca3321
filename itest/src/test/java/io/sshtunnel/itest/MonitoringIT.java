package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Hashtable;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** Counters that match the bytes pushed through, the MBean, and the health check across states. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MonitoringIT extends MinaTunnelTestSupport {

    private MappingCounters counters(String tunnel, int index) {
        return status(tunnel).orElseThrow().mappings().get(index).counters();
    }

    @Test
    public void theCountersMatchTheBytesPushedThroughAnLAndAnRMapping() throws Exception {
        int l = Net.freePort();
        int gateway = Net.freePort();
        int r = Net.freePort();
        int closed = Net.freePort(); // nothing listens there: connections through these mappings fail
        int lDead = Net.freePort();
        int rDead = Net.freePort();
        create("counted", tunnel("counted", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port(), "R " + r + ":localhost:" + echo.port(),
                "L " + lDead + ":localhost:" + closed, "R " + rDead + ":localhost:" + closed,
                "L *:" + gateway + ":localhost:" + echo.port()));
        awaitState("counted", TunnelState.UP);

        Net.assertEchoes("127.0.0.1", l, 100_000);
        Net.assertEchoes("127.0.0.1", l, 23_456);
        Net.assertEchoes("127.0.0.1", r, 77_777);
        Await.until(() -> "L counters " + counters("counted", 0), TIMEOUT, () -> {
            MappingCounters c = counters("counted", 0);
            return c.bytesToTarget() == 123_456 && c.bytesFromTarget() == 123_456 && c.connections() == 2 && c.openConnections() == 0;
        });
        Await.until(() -> "R counters " + counters("counted", 1), TIMEOUT, () -> {
            MappingCounters c = counters("counted", 1);
            return c.bytesToTarget() == 77_777 && c.bytesFromTarget() == 77_777 && c.connections() == 1 && c.openConnections() == 0;
        });
        assertEquals(0, counters("counted", 0).failedConnections());
        // a gateway listens on every address, which the JVM may report as 0.0.0.0 or as ::
        Net.assertEchoes("127.0.0.1", gateway, 4_321);
        Await.until(() -> "gateway L counters " + counters("counted", 4), TIMEOUT, () -> {
            MappingCounters c = counters("counted", 4);
            return c.bytesToTarget() == 4_321 && c.bytesFromTarget() == 4_321 && c.connections() == 1 && c.openConnections() == 0;
        });

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", lDead), 5000);
            s.setSoTimeout(10_000);
            assertEquals("the server could not reach the target: the connection is closed", -1, s.getInputStream().read());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rDead), 5000); // the SSH server's listener
            s.setSoTimeout(10_000);
            assertEquals(-1, s.getInputStream().read());
        }
        Await.until(() -> "failures counted " + counters("counted", 2) + " / " + counters("counted", 3), TIMEOUT,
                () -> counters("counted", 2).failedConnections() == 1 && counters("counted", 3).failedConnections() == 1);

        TunnelStatus s = status("counted").orElseThrow();
        assertEquals(1, s.counters().connects());
        Await.until("a keepalive round trip", TIMEOUT, () -> status("counted").orElseThrow().counters().lastKeepaliveRoundTrip() != null);

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.sshtunnel:type=Tunnel,name=counted");
        Await.until("the tunnel's MBean", TIMEOUT, () -> mbeans.isRegistered(name));
        assertEquals("UP", mbeans.getAttribute(name, "State"));
        assertEquals(123_456L + 77_777L + 4_321L, mbeans.getAttribute(name, "BytesToTarget"));
        assertEquals(5, mbeans.getAttribute(name, "MappingsTotal"));
        assertEquals(2L, mbeans.getAttribute(name, "FailedConnections"));
    }

    @Test
    public void theHealthCheckFollowsTheTunnelsAndTurnsCriticalPastTheGrace() throws Exception {
        org.osgi.service.cm.Configuration hc = configAdmin.getConfiguration("io.sshtunnel.healthcheck", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("retrying.grace.seconds", 2);
        hc.update(p);
        try (ServerSocket blackHole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(Result.Status.OK, health().getStatus());
            create("healthy", tunnel("healthy", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L " + Net.freePort() + ":localhost:" + echo.port()));
            awaitState("healthy", TunnelState.UP);
            assertEquals(Result.Status.OK, health().getStatus());

            // accepts TCP and never says a word: the connection attempt times out, again and again
            Hashtable<String, Object> hole = tunnel("blackhole", blackHole.getLocalPort(), "u", "p", "L " + Net.freePort() + ":localhost:1");
            hole.put(io.sshtunnel.api.TunnelConstants.CONNECT_TIMEOUT_SECONDS, 1);
            create("blackhole", hole);
            Result early = Await.until("temporarily unavailable", TIMEOUT, () -> {
                Result h = health();
                return h.getStatus() == Result.Status.TEMPORARILY_UNAVAILABLE ? h : null;
            });
            assertTrue(early.toString(), early.toString().contains("tunnel \"blackhole\""));
            Result late = Await.until("critical past the grace of 2 s", TIMEOUT, () -> {
                Result h = health();
                return h.getStatus() == Result.Status.CRITICAL ? h : null;
            });
            assertTrue(late.toString(), late.toString().contains("has had no connection for"));
        } finally {
            hc.delete();
        }
    }

    @Test
    public void theTargetProbeReportsATargetThatWentAwayAndCameBack() throws Exception {
        ServerSocket lTarget = new ServerSocket();
        lTarget.setReuseAddress(true);
        lTarget.bind(new InetSocketAddress("127.0.0.1", 0));
        int lPort = lTarget.getLocalPort();
        ServerSocket rTarget = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        try {
            Hashtable<String, Object> p = tunnel("probed", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                    "L " + Net.freePort() + ":127.0.0.1:" + lPort, "R " + Net.freePort() + ":127.0.0.1:" + rTarget.getLocalPort());
            p.put(io.sshtunnel.api.TunnelConstants.TARGET_PROBE_SECONDS, 1);
            create("probed", p);
            java.util.concurrent.atomic.AtomicInteger lProbes = countAccepts(lTarget);
            java.util.concurrent.atomic.AtomicInteger rProbes = countAccepts(rTarget);
            awaitState("probed", TunnelState.UP);
            // the probes have run (each connected to its target twice) before their verdict is read
            Await.until(() -> "two probes of each target (L " + lProbes + ", R " + rProbes + ")", TIMEOUT,
                    () -> lProbes.get() >= 2 && rProbes.get() >= 2);
            assertEquals(null, status("probed").orElseThrow().mappings().get(0).reason());
            assertEquals(Result.Status.OK, health().getStatus());

            lTarget.close();
            TunnelStatus gone = Await.until("the L target reported gone", TIMEOUT, () -> status("probed")
                    .filter(t -> t.mappings().get(0).reason() != null).orElse(null));
            assertEquals("the tunnel stays UP", TunnelState.UP, gone.state());
            assertEquals(io.sshtunnel.api.MappingState.ACTIVE, gone.mappings().get(0).state());
            assertTrue(gone.mappings().get(0).reason(), gone.mappings().get(0).reason().contains("target 127.0.0.1:" + lPort
                    + " does not answer the SSH server"));
            Result warned = health();
            assertEquals(warned.toString(), Result.Status.WARN, warned.getStatus());

            rTarget.close();
            Await.until("the R target reported gone", TIMEOUT, () -> status("probed").orElseThrow().mappings().get(1).reason() != null);
            assertTrue(status("probed").orElseThrow().mappings().get(1).reason().contains("does not answer on this machine"));

            lTarget = new ServerSocket();
            lTarget.setReuseAddress(true);
            lTarget.bind(new InetSocketAddress("127.0.0.1", lPort));
            Await.until("the L target back", TIMEOUT, () -> status("probed").orElseThrow().mappings().get(0).reason() == null);
        } finally {
            lTarget.close();
            rTarget.close();
        }
    }

    /** Accepts and closes every connection to the target, counting them, until the socket is closed. */
    private static java.util.concurrent.atomic.AtomicInteger countAccepts(ServerSocket target) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        Thread t = new Thread(() -> {
            while (!target.isClosed()) {
                try (java.net.Socket c = target.accept()) {
                    n.incrementAndGet();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "itest-probe-target");
        t.setDaemon(true);
        t.start();
        return n;
    }

    private Result health() {
        try {
            ServiceReference<HealthCheck> ref = context.getServiceReferences(HealthCheck.class, "(hc.name=SSH tunnels)").iterator().next();
            HealthCheck check = context.getService(ref);
            try {
                return check.execute();
            } finally {
                context.ungetService(ref);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
