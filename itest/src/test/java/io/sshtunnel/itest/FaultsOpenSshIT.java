package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.io.IOException;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** Faults of the network and of the customer's server, against a real OpenSSH sshd. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FaultsOpenSshIT extends OpenSshTestSupport {
    @Test
    public void aChangedHostKeyFailsWithoutAnyAuthenticationAttempt() throws Exception {
        startServers(null);
        org.osgi.service.cm.Configuration c = create("rekeyed", keyTunnel("rekeyed", sshd.port(), "L " + Net.freePort() + ":127.0.0.1:" + echo.port()));
        awaitState("rekeyed", TunnelState.UP);
        String pinned = (String) Await.until("fingerprint pinned", TIMEOUT, () -> {
            try {
                return configProperties(c).get(FINGERPRINT);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        long mark = sshd.logLines();
        sshd.rotateHostKey();
        TunnelStatus failed = awaitState("rekeyed", TunnelState.FAILED);
        assertTrue(failed.reason(), failed.reason().contains(pinned) && failed.reason().contains(sshd.fingerprint()));
        assertNull("never retried", failed.nextAttempt());
        assertEquals("no authentication attempt reached the server with the new key", 0,
                sshd.countSince(mark, "Accepted") + sshd.countSince(mark, "Failed publickey") + sshd.countSince(mark, "Failed password"));
        assertEquals("the pinned fingerprint is kept", pinned, configProperties(c).get(FINGERPRINT));
    }

    @Test
    public void sshdKilledAndRestartedTwoSecondsLaterComesBackWithItsConfigurationUnchanged() throws Exception {
        killAndRestart("killed", Duration.ofSeconds(2), 2);
    }

    /**
     * A 30 s outage with the default back-off (1 s doubling up to 20 s): few attempts while the
     * server is away, and the tunnel back within one back-off period of its return.
     */
    @Test
    public void sshdKilledForThirtySecondsIsRetriedWithBackOffAndComesBack() throws Exception {
        killAndRestart("outage", Duration.ofSeconds(30), DEFAULT_RECONNECT_MAX_SECONDS);
    }

    private void killAndRestart(String name, Duration outage, int maxBackOffSeconds) throws Exception {
        startServers(null);
        int l = Net.freePort();
        int r = Net.freePort();
        java.util.Hashtable<String, Object> props = keyTunnel(name, sshd.port(),
                "L " + l + ":127.0.0.1:" + echo.port(), "R " + r + ":localhost:" + echo.port());
        props.put(RECONNECT_MAX_SECONDS, maxBackOffSeconds);
        org.osgi.service.cm.Configuration c = create(name, props);
        awaitState(name, TunnelState.UP);
        Await.until("fingerprint pinned", TIMEOUT, () -> {
            try {
                return configProperties(c).get(FINGERPRINT);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        java.util.Map<String, Object> before = comparable(configProperties(c));
        java.util.Set<Object> servicesBefore = serviceIds(name);
        String what = outage.toSeconds() + " s";
        long killed = System.nanoTime();
        sshd.kill();
        TunnelStatus down = awaitState(name, TunnelState.RETRYING);
        Figures.millis("sshd killed", "kill -9 of sshd → RETRYING", killed);
        assertNotNull(down.nextAttempt());
        Await.until("Tunnel and endpoints withdrawn while down", TIMEOUT, () -> serviceIds(name).isEmpty());
        Await.letTimePass("the " + what + " outage", outage);
        int attempts = status(name).orElseThrow().attempts();
        Figures.record("sshd killed", "attempts during a " + what + " outage (reconnect.max.seconds=" + maxBackOffSeconds + ")",
                String.valueOf(attempts));
        // the back-off allows about 3 in 2 s (up to 2 s) and 7 in 30 s (up to 20 s), a few more when a slow machine
        // takes longer to see the kill; a retry storm would be hundreds
        assertTrue(attempts + " attempts in " + what + " with back-off up to " + maxBackOffSeconds + " s", attempts < 20);
        long restarted = System.nanoTime();
        sshd.start();
        awaitState(name, TunnelState.UP, Duration.ofSeconds(maxBackOffSeconds + 15));
        Figures.millis("sshd killed", "sshd down " + what + ", restarted → UP (reconnect.max.seconds=" + maxBackOffSeconds + ")", restarted);
        Net.assertEchoes("127.0.0.1", l, 1000);
        Net.assertEchoes("127.0.0.1", r, 1000);
        assertEquals(2, endpoints(name).size());
        java.util.Set<Object> servicesAfter = serviceIds(name);
        assertEquals("Tunnel and two TunnelEndpoint services", 3, servicesAfter.size());
        assertTrue("registered anew", servicesAfter.stream().noneMatch(servicesBefore::contains));
        assertEquals("the configuration is unchanged", before, comparable(configProperties(c)));
    }

    private java.util.Set<Object> serviceIds(String name) {
        java.util.Set<Object> ids = new java.util.HashSet<>();
        for (String type : new String[] {io.sshtunnel.api.Tunnel.class.getName(), io.sshtunnel.api.TunnelEndpoint.class.getName()}) {
            org.osgi.framework.ServiceReference<?>[] refs;
            try {
                refs = context.getServiceReferences(type, "(" + TUNNEL_NAME + "=" + name + ")");
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
            for (org.osgi.framework.ServiceReference<?> ref : refs == null ? new org.osgi.framework.ServiceReference<?>[0] : refs) {
                ids.add(ref.getProperty(org.osgi.framework.Constants.SERVICE_ID));
            }
        }
        return ids;
    }

    /** Arrays (the mappings) as lists, so that equal contents compare equal. */
    private static java.util.Map<String, Object> comparable(java.util.Map<String, Object> m) {
        java.util.Map<String, Object> c = new java.util.TreeMap<>();
        m.forEach((k, v) -> c.put(k, v instanceof Object[] ? java.util.Arrays.asList((Object[]) v) : v));
        return c;
    }

    @Test
    public void aStaleRemoteListenerAfterABlackHoleIsFreedByClientAliveInterval() throws Exception {
        startServers("ClientAliveInterval 1\nClientAliveCountMax 2");
        try (FreezableProxy path = new FreezableProxy(sshd.port())) {
            int l = Net.freePort();
            int r = Net.freePort();
            create("stale", keyTunnel("stale", path.port(), "L " + l + ":127.0.0.1:" + echo.port(), "R " + r + ":localhost:" + echo.port()));
            awaitState("stale", TunnelState.UP);
            long frozen = System.nanoTime();
            path.freezeExisting(); // the old session goes silent; a new connection finds a way
            awaitState("stale", TunnelState.RETRYING, Duration.ofSeconds(10));
            // the L mapping works on the new session at once; the R port is free once sshd gives the old session up
            Await.until("L back on the new session", Duration.ofSeconds(20), () -> {
                try {
                    Net.assertEchoes("127.0.0.1", l, 100);
                    return true;
                } catch (java.io.IOException | AssertionError e) {
                    return false;
                }
            });
            awaitState("stale", TunnelState.UP, Duration.ofSeconds(30));
            Figures.millis("stale listener", "black hole → R mapping back, sshd ClientAliveInterval 1 × 2 (keepalive 1 s)", frozen);
            Net.assertEchoes("127.0.0.1", r, 1000);
        }
    }

    /**
     * A slow downlink saturated by a download through an {@code L} mapping: sshd's answers to the
     * keepalive probes wait behind seconds of data, longer than the three intervals after which a
     * silent connection is dead, but the data itself keeps arriving, and proves the server alive.
     * The tunnel stays UP on its first connection and the download never stops.
     */
    @Test
    public void aSaturatedSlowDownlinkKeepsTheConnectionWhileDataArrives() throws Exception {
        startServers(null);
        java.net.ServerSocket source = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (FreezableProxy path = new FreezableProxy(sshd.port())) {
            // the customer's service: sends without end (bounded: 2 minutes) to whoever connects
            writer.execute(() -> {
                try (java.net.Socket s = source.accept(); java.io.OutputStream out = s.getOutputStream()) {
                    byte[] chunk = new byte[64 * 1024];
                    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (System.nanoTime() < end) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the test closed its end
                }
            });
            int l = Net.freePort();
            create("download", keyTunnel("download", path.port(), "L " + l + ":127.0.0.1:" + source.getLocalPort()));
            awaitState("download", TunnelState.UP);
            long connects = status("download").get().counters().connects();
            path.throttleDown(128 * 1024);
            long read = 0;
            Duration lastReply = status("download").get().counters().lastKeepaliveRoundTrip();
            long lastReplySeen = System.nanoTime();
            long longestSilence = 0; // the longest time in which no keepalive reply came
            try (java.net.Socket client = new java.net.Socket("127.0.0.1", l)) {
                client.setSoTimeout(5000);
                java.io.InputStream in = client.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < end) { // reads until 15 s have passed; a stall fails on the read timeout
                    int n = in.read(buf);
                    assertTrue("the download ended after " + read + " bytes", n > 0);
                    read += n;
                    TunnelStatus now = status("download").get();
                    assertEquals("UP throughout (" + now.reason() + ")", TunnelState.UP, now.state());
                    Duration rtt = now.counters().lastKeepaliveRoundTrip();
                    if (!java.util.Objects.equals(rtt, lastReply)) {
                        lastReply = rtt;
                        lastReplySeen = System.nanoTime();
                    }
                    longestSilence = Math.max(longestSilence, System.nanoTime() - lastReplySeen);
                }
            } finally {
                path.throttleDown(0);
            }
            TunnelStatus after = status("download").get();
            assertEquals(TunnelState.UP, after.state());
            assertEquals("still the first connection", connects, after.counters().connects());
            assertTrue("about 128 KiB/s for 15 s arrived: " + read, read > 1024 * 1024);
            assertTrue("the keepalive's replies were queued behind the data for longer than three intervals: "
                    + TimeUnit.NANOSECONDS.toMillis(longestSilence) + " ms without one (else this test shows nothing)",
                    longestSilence > TimeUnit.SECONDS.toNanos(3));
        } finally {
            writer.shutdownNow();
            source.close();
        }
    }

    @Test
    public void withoutClientAliveIntervalTheStaleListenerWaitsForThePathToHeal() throws Exception {
        startServers("ClientAliveInterval 0");
        try (FreezableProxy path = new FreezableProxy(sshd.port())) {
            int l = Net.freePort();
            int r = Net.freePort();
            create("stale2", keyTunnel("stale2", path.port(), "L " + l + ":127.0.0.1:" + echo.port(), "R " + r + ":localhost:" + echo.port()));
            awaitState("stale2", TunnelState.UP);
            path.freezeExisting();
            TunnelStatus degraded = awaitState("stale2", TunnelState.DEGRADED, Duration.ofSeconds(20));
            assertEquals(MappingState.FAILED, degraded.mappings().get(1).state());
            assertTrue(degraded.mappings().get(1).reason(), degraded.mappings().get(1).reason().contains("ClientAliveInterval"));
            Net.assertEchoes("127.0.0.1", l, 100);
            long healed = System.nanoTime();
            path.closeExisting(); // the old path heals with a reset: sshd drops the old session and its port
            awaitState("stale2", TunnelState.UP, Duration.ofSeconds(30));
            Figures.millis("stale listener", "no ClientAliveInterval: old session reset → R mapping back", healed);
            Net.assertEchoes("127.0.0.1", r, 1000);
        }
    }

    @Test
    public void anRMappingIsAddedWhileAnotherCarriesTrafficWithoutStallingTheSession() throws Exception {
        int a = Net.freeStablePort();
        int b = Net.freeStablePort();
        startServers(null);
        org.osgi.service.cm.Configuration c = create("busy-r", keyTunnel("busy-r", sshd.port(), "R " + a + ":localhost:" + echo.port()));
        awaitState("busy-r", TunnelState.UP);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        ExecutorService traffic = Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                traffic.execute(() -> {
                    while (running.get()) {
                        try {
                            Net.assertEchoes("127.0.0.1", a, 4096);
                        } catch (IOException | AssertionError e) {
                            failures.incrementAndGet();
                        }
                    }
                });
            }
            long mark = sshd.logLines();
            long t0 = System.nanoTime();
            Hashtable<String, Object> both = keyTunnel("busy-r", sshd.port(), "R " + a + ":localhost:" + echo.port(),
                    "R " + b + ":localhost:" + echo.port());
            both.put(FINGERPRINT, configProperties(c).get(FINGERPRINT));
            c.update(both);
            Await.until("the second R mapping active", TIMEOUT, () -> status("busy-r")
                    .filter(s -> s.mappings().size() == 2 && s.mappings().get(1).state() == io.sshtunnel.api.MappingState.ACTIVE).isPresent());
            Figures.millis("R under load", "second R mapping added while the first carries traffic → active", t0);
            Net.assertEchoes("127.0.0.1", b, 1000);
            assertEquals("the session was not lost", 0, sshd.countSince(mark, "Accepted publickey"));
        } finally {
            running.set(false);
            traffic.shutdown();
            traffic.awaitTermination(20, TimeUnit.SECONDS);
        }
        assertEquals("no exchange on the busy mapping failed", 0, failures.get());
    }
}
