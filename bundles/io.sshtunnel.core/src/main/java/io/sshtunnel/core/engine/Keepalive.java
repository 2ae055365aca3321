package io.sshtunnel.core.engine;

import io.sshtunnel.common.Reason;

import static io.sshtunnel.api.TunnelConstants.KEEPALIVE_MAX_MISSED;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sshtunnel.core.ssh.SshLink;

/**
 * Probes one connection every interval with a request that wants a reply, and declares it dead
 * when nothing came from the server for {@value io.sshtunnel.api.TunnelConstants#KEEPALIVE_MAX_MISSED}
 * intervals: neither a reply nor any other byte. Anything received proves the server alive, so a
 * reply queued behind seconds of data on a saturated slow link does not end a working connection,
 * while a link that carries nothing at all (a black hole) is declared dead as soon as before.
 * Runs as a short task on the shared timer (no thread of its own), ticking at a quarter of the
 * interval (at most a second) so that death is declared within 3 intervals plus one tick.
 */
final class Keepalive {
    private final SshLink link;
    private final long intervalNanos;
    private final int intervalSeconds;
    private final Runnable onDead;
    private final Environment env;
    private final ScheduledFuture<?> task;
    private long lastProbe;
    /** When the server was last heard from: a reply, or bytes received since the tick before. */
    private volatile long lastReply;
    private long lastReceived;
    private volatile Reason deathReason;
    /** The round trip of the last answered probe in nanoseconds, or -1. */
    private volatile long roundTrip = -1;

    private final java.util.function.LongConsumer onRoundTrip;

    Keepalive(SshLink link, int intervalSeconds, Environment env, Runnable onDead) {
        this(link, intervalSeconds, env, onDead, rtt -> { });
    }

    /** @param onRoundTrip told the round trip, in nanoseconds, of each answered probe */
    Keepalive(SshLink link, int intervalSeconds, Environment env, Runnable onDead, java.util.function.LongConsumer onRoundTrip) {
        this.onRoundTrip = onRoundTrip;
        this.link = link;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        this.intervalSeconds = intervalSeconds;
        this.onDead = onDead;
        this.env = env;
        long now = env.nanoTime();
        this.lastProbe = now;
        this.lastReply = now;
        this.lastReceived = link.receivedBytes();
        long tick = Math.min(1000L, intervalSeconds * 250L);
        this.task = env.timer().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (deathReason != null) {
            return;
        }
        long now = env.nanoTime();
        long received = link.receivedBytes();
        if (received != lastReceived) {
            lastReceived = received;
            lastReply = now;
        }
        if (now - lastReply >= KEEPALIVE_MAX_MISSED * intervalNanos) {
            deathReason = Reason.of("reason.keepaliveDead", TimeUnit.NANOSECONDS.toSeconds(KEEPALIVE_MAX_MISSED * intervalNanos),
                    KEEPALIVE_MAX_MISSED);
            task.cancel(false);
            onDead.run();
            return;
        }
        if (now - lastProbe >= intervalNanos) {
            lastProbe = now;
            long sent = now;
            link.probe(() -> {
                long t = env.nanoTime();
                roundTrip = t - sent;
                lastReply = t;
                onRoundTrip.accept(t - sent);
            });
        }
    }

    /** The round trip of the last answered probe, or null before one was answered. */
    java.time.Duration roundTrip() {
        long r = roundTrip;
        return r < 0 ? null : java.time.Duration.ofNanos(r);
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    boolean declaredDead() {
        return deathReason != null;
    }

    Reason deathReason() {
        return deathReason;
    }

    void stop() {
        task.cancel(false);
    }
}
