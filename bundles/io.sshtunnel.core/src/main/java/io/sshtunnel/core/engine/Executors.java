package io.sshtunnel.core.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's threads: one timer and a bounded worker pool, both named, both owned by the engine
 * component and stopped on deactivate. Their number does not grow with the number of tunnels.
 */
final class Executors {
    /** Workers: blocking connects and forward requests run here, so a few may wait at once. */
    static final int WORKERS = 8;

    final ScheduledThreadPoolExecutor timer;
    final ThreadPoolExecutor workers;

    Executors(ClassLoader contextLoader) {
        timer = new ScheduledThreadPoolExecutor(1, factory("sshtunnel-timer", contextLoader));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                factory("sshtunnel-worker", contextLoader));
        workers.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory factory(String prefix, ClassLoader contextLoader) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(contextLoader);
            return t;
        };
    }

    /** Stops both, waiting up to the given time for running tasks. */
    void shutdown(long millis) {
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(millis, TimeUnit.MILLISECONDS);
            }
            timer.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
