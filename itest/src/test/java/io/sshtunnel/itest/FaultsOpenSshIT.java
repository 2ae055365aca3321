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
        startServers(null);
        int l = Net.freePort();
        int r = Net.freePort();
        org.osgi.service.cm.Configuration c = create("killed", keyTunnel("killed", sshd.port(),
                "L " + l + ":127.0.0.1:" + echo.port(), "R " + r + ":localhost:" + echo.port()));
        awaitState("killed", TunnelState.UP);
        Await.until("fingerprint pinned", TIMEOUT, () -> {
            try {
                return configProperties(c).get(FINGERPRINT);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        java.util.Map<String, Object> before = comparable(configProperties(c));
        long killed = System.nanoTime();
        sshd.kill();
        TunnelStatus down = awaitState("killed", TunnelState.RETRYING);
        Figures.millis("sshd killed", "kill -9 of sshd → RETRYING", killed);
        assertNotNull(down.nextAttempt());
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Await.until("2 s of outage", Duration.ofSeconds(3), () -> System.nanoTime() >= until);
        long restarted = System.nanoTime();
        sshd.start();
        awaitState("killed", TunnelState.UP, Duration.ofSeconds(20));
        Figures.millis("sshd killed", "sshd down 2 s, restarted → UP (reconnect.max.seconds=2)", restarted);
        Net.assertEchoes("127.0.0.1", l, 1000);
        Net.assertEchoes("127.0.0.1", r, 1000);
        assertEquals(2, endpoints("killed").size());
        assertEquals("the configuration is unchanged", before, comparable(configProperties(c)));
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
