package io.sshtunnel.itest;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline. Wakes up when any sshtunnel event arrives
 * ({@link #signal()}) and at the latest every 50 ms; never sleeps blindly. The one exception,
 * named as such, is {@link #letTimePass(String, Duration)}.
 */
public final class Await {
    private static final Object MONITOR = new Object();

    private Await() {
    }

    /** Wakes every waiter: called by the tests' event handler. */
    public static void signal() {
        synchronized (MONITOR) {
            MONITOR.notifyAll();
        }
    }

    /** Returns the first non-null, non-false value of {@code probe}, or fails with {@code what} after {@code timeout}. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        return until(() -> what, timeout, probe);
    }

    /** As {@link #until(String, Duration, Supplier)}, with a description made when the wait fails (e.g. the state then). */
    public static <T> T until(Supplier<String> what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = probe.get();
            if (last != null && !Boolean.FALSE.equals(last)) {
                return last;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            synchronized (MONITOR) {
                try {
                    MONITOR.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what.get());
                }
            }
        }
    }

    /**
     * The one place where a test deliberately lets time pass: a soak's traffic window, the length
     * of an outage, a window in which events are counted. Whatever a test waits for, it waits with
     * {@link #until}; whatever must not happen, it counts in a window given here.
     */
    public static void letTimePass(String why, Duration length) {
        long deadline = System.nanoTime() + length.toNanos();
        for (long left = length.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            synchronized (MONITOR) {
                try {
                    MONITOR.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while letting time pass: " + why);
                }
            }
        }
    }

    /**
     * Waits until {@code count} has not moved for {@code quiet} (a flow that has stopped), at most
     * {@code timeout}.
     */
    public static void steady(String what, Duration timeout, java.util.function.LongSupplier count, Duration quiet) {
        long[] last = { count.getAsLong(), System.nanoTime() };
        until(() -> what + " (at " + last[0] + ")", timeout, () -> {
            long now = count.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
                return null;
            }
            return System.nanoTime() - last[1] >= quiet.toNanos() ? Boolean.TRUE : null;
        });
    }
}
