package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sshtunnel.core.ssh.SshLink;

/**
 * When the keepalive declares a connection dead: after three intervals in which nothing came from
 * the server, not after three unanswered probes while data keeps arriving (a reply queued behind
 * seconds of data on a saturated slow link).
 */
class KeepaliveTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(250); // a quarter of the 1 s interval

    private final FakeEnvironment env = new FakeEnvironment();
    private final SshLink link = mock(SshLink.class);
    private final AtomicLong received = new AtomicLong();
    private final List<Runnable> replies = new ArrayList<>();
    private final AtomicBoolean dead = new AtomicBoolean();
    private Keepalive keepalive;
    private ManualScheduler.Task tick;

    @BeforeEach
    void start() {
        env.nanos = 1_000_000_000L;
        when(link.receivedBytes()).thenAnswer(i -> received.get());
        when(link.probe(any())).thenAnswer(i -> replies.add(i.getArgument(0)));
        keepalive = new Keepalive(link, 1, env, () -> dead.set(true));
        tick = env.timer.periodic().get(0);
    }

    private void tick(int times, long bytesEach) {
        for (int i = 0; i < times; i++) {
            env.nanos += TICK;
            received.addAndGet(bytesEach);
            tick.run();
        }
    }

    @Test
    void dataArrivingKeepsAConnectionWhoseProbesGoUnansweredAlive() {
        tick(40, 32 * 1024); // 10 s of data, not one reply
        assertTrue(replies.size() >= 9, "a probe every interval: " + replies.size());
        assertFalse(dead.get());
        assertFalse(keepalive.declaredDead());
    }

    @Test
    void silenceAfterDataIsDeathAfterThreeIntervals() {
        tick(8, 1000);
        tick(11, 0); // 2.75 s of silence
        assertFalse(dead.get());
        tick(1, 0); // 3 s
        assertTrue(dead.get());
        assertEquals("nothing from the server for 3 s: no reply to 3 keepalive probes, no other data", keepalive.deathReason().english());
        assertEquals("seit 3 s nichts vom Server: keine Antwort auf 3 Keepalive-Proben, keine anderen Daten",
                keepalive.deathReason().in(java.util.Locale.GERMAN));
    }

    @Test
    void aBlackHoleIsDeathAfterThreeIntervalsAsBefore() {
        tick(11, 0);
        assertFalse(dead.get());
        tick(1, 0);
        assertTrue(dead.get());
        assertTrue(tick.isCancelled(), "no ticks after death");
    }

    @Test
    void repliesAloneKeepItAliveAndGiveTheRoundTrip() {
        assertNull(keepalive.roundTrip());
        for (int i = 0; i < 40; i++) {
            tick(1, 0);
            replies.forEach(Runnable::run);
            replies.clear();
        }
        assertFalse(dead.get());
        assertEquals(0, keepalive.roundTrip().toNanos(), "answered within the tick (the fake clock stood still)");
    }
}
