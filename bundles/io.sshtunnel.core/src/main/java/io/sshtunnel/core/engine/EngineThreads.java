package io.sshtunnel.core.engine;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's threads: one timer and a worker pool, both named, both owned by the engine
 * component and stopped on deactivate. Workers exist only while there is work: with every tunnel
 * up they are gone. Connects and forward requests block a worker until the server answers or the
 * timeout passes, so the pool grows while servers are unreachable (one thread per tunnel waiting,
 * up to {@value #MAX_WORKERS}), and a dead server never delays the others' recovery.
 */
final class EngineThreads {
    /** Upper bound of workers; beyond it work waits a moment and is offered again. */
    static final int MAX_WORKERS = 256;

    final ScheduledThreadPoolExecutor timer;
    final ThreadPoolExecutor workers;

    EngineThreads(ClassLoader contextLoader) {
        timer = new ScheduledThreadPoolExecutor(1, factory("sshtunnel-timer", contextLoader));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory("sshtunnel-worker", contextLoader), (task, pool) -> {
                    if (!pool.isShutdown()) {
                        timer.schedule(() -> pool.execute(task), 50, TimeUnit.MILLISECONDS);
                    }
                });
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
