package io.sshtunnel.core.engine;

import java.util.function.DoubleSupplier;

/**
 * Jittered exponential back-off: 1 s, 2 s, 4 s ... capped at a maximum, each delay drawn from
 * the upper half of its step ("equal jitter") so that many tunnels to one server spread out.
 */
final class Backoff {
    static final long BASE_MILLIS = 1000;

    private final long maxMillis;
    private final DoubleSupplier random;
    private int step;

    Backoff(long maxMillis, DoubleSupplier random) {
        this.maxMillis = Math.max(BASE_MILLIS, maxMillis);
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the step until the cap. */
    long next() {
        long cap = step >= 30 ? maxMillis : Math.min(maxMillis, BASE_MILLIS << step);
        step++;
        long half = cap / 2;
        return half + (long) (random.getAsDouble() * (cap - half));
    }

    void reset() {
        step = 0;
    }

    int step() {
        return step;
    }
}
