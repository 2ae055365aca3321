package io.sshtunnel.core.engine;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;

/** What a {@link TunnelSupervisor} needs from the engine; tests supply their own. */
interface Environment {
    /** Opens an authenticated connection (blocking, bounded by the request's timeout). */
    SshLink connect(ConnectRequest request, Consumer<Runnable> canceller) throws SshFailure;

    ScheduledExecutorService timer();

    Executor workers();

    /** Writes the fingerprint seen on first use back into the tunnel's configuration; blocks until written. */
    void persistFingerprint(String pid, String fingerprint);

    /** The fingerprint trusted before for this SSH server, whatever its tunnels' configurations say now; null if none. */
    String knownFingerprint(String host, int port);

    /**
     * Remembers the key of a server a tunnel has just authenticated to, and returns the key now known
     * for it: the given one, or, when {@code pinned} is false (trust on first use), one that another
     * tunnel trusted first. Only a fingerprint pinned in a configuration replaces a known key.
     */
    String hostKeyTrusted(String host, int port, String fingerprint, boolean pinned);

    /** Posts an event (Event Admin is optional). */
    void post(String topic, Map<String, Object> properties);

    /** Tells the registry that a tunnel's status changed. */
    void statusChanged(TunnelStatus status);

    Clock clock();

    /** A monotonic time source for timeouts, in nanoseconds; {@link System#nanoTime()} outside tests. */
    default long nanoTime() {
        return System.nanoTime();
    }

    DoubleSupplier random();
}
