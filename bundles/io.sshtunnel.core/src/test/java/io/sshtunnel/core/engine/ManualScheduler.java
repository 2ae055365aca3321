package io.sshtunnel.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link ScheduledExecutorService} that never runs anything by itself: it records what was
 * scheduled, with which delay, and the test runs a task explicitly. No threads, no time.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** One scheduled task. */
    final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final long delayMillis;
        final long periodMillis;
        private boolean cancelled;
        private boolean done;

        Task(Runnable command, long delayMillis, long periodMillis) {
            this.command = command;
            this.delayMillis = delayMillis;
            this.periodMillis = periodMillis;
        }

        boolean periodic() {
            return periodMillis > 0;
        }

        /** Runs the task as the timer would when it is due. */
        void run() {
            if (cancelled || done) {
                throw new AssertionError("task is " + (cancelled ? "cancelled" : "done"));
            }
            if (!periodic()) {
                done = true;
            }
            command.run();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(delayMillis, o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }

        @Override
        public String toString() {
            return (periodic() ? "every " + periodMillis + " ms" : "in " + delayMillis + " ms")
                    + (cancelled ? " (cancelled)" : done ? " (done)" : "");
        }
    }

    private final List<Task> tasks = Collections.synchronizedList(new ArrayList<>());
    private boolean shutdown;

    private Task add(Runnable command, long delay, long period, TimeUnit unit) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task t = new Task(command, unit.toMillis(delay), unit.toMillis(period));
        tasks.add(t);
        return t;
    }

    /** Every task ever scheduled. */
    List<Task> all() {
        synchronized (tasks) {
            return new ArrayList<>(tasks);
        }
    }

    /** One-shot tasks neither run nor cancelled. */
    List<Task> pending() {
        return all().stream().filter(t -> !t.periodic() && !t.isDone()).collect(Collectors.toList());
    }

    /** Periodic tasks not cancelled. */
    List<Task> periodic() {
        return all().stream().filter(t -> t.periodic() && !t.isCancelled()).collect(Collectors.toList());
    }

    /** The only pending one-shot task; fails when there is none or several. */
    Task onlyPending() {
        List<Task> p = pending();
        if (p.size() != 1) {
            throw new AssertionError("expected one pending task, found " + p);
        }
        return p.get(0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, delay, 0, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the engine");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
