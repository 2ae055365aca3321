package io.sshtunnel.core.engine;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;
import io.sshtunnel.core.ssh.SshTransport;

/**
 * What the supervisors run on in the container: the shared SSH client, the engine's threads, the
 * configuration writer and the event fan-out. Made and closed by {@link TunnelEngine}.
 */
final class EngineEnvironment implements Environment {
    private static final Logger LOG = LoggerFactory.getLogger(EngineEnvironment.class);
    /** Framework property: cipher names in the order to offer them, comma-separated (e.g. for compatibility or FIPS). */
    static final String CIPHERS_PROPERTY = "io.sshtunnel.ciphers";

    /** Framework property: the hosts file the SSH servers' names are looked up in first (default: the system's). */
    static final String HOSTS_FILE_PROPERTY = "io.sshtunnel.hosts.file";

    private final EngineThreads executors;
    private final SshTransport transport;
    private final ConfigWriter writer;
    private final EventFanout events;
    private final KnownHosts knownHosts;

    EngineEnvironment(BundleContext context, ConfigWriter writer, EventFanout events) {
        this.writer = writer;
        this.events = events;
        java.io.File data = context.getDataFile("known-hosts");
        this.knownHosts = new KnownHosts(data == null ? null : data.toPath());
        this.executors = new EngineThreads(SshTransport.sshdClassLoader());
        this.transport = SshTransport.start(cipherPreference(context.getProperty(CIPHERS_PROPERTY)),
                io.sshtunnel.core.net.FreshResolver.system(context.getProperty(HOSTS_FILE_PROPERTY)));
    }

    /** The ciphers named by the framework property, or none (the default order) with a warning when it names no known one. */
    static List<String> cipherPreference(String property) {
        List<String> preference = property == null || property.isBlank() ? List.of() : List.of(property.split(","));
        if (!preference.isEmpty() && preference.stream().noneMatch(c -> SshTransport.knownCiphers().contains(c.trim()))) {
            LOG.warn("{}={} names none of the ciphers {}; using the default order", CIPHERS_PROPERTY, property,
                    SshTransport.knownCiphers());
        }
        return preference;
    }

    @Override
    public SshLink connect(ConnectRequest request, Consumer<Runnable> canceller) throws SshFailure {
        return transport.connect(request, canceller);
    }

    @Override
    public ScheduledExecutorService timer() {
        return executors.timer;
    }

    @Override
    public Executor workers() {
        return executors.workers;
    }

    @Override
    public void persistFingerprint(String pid, String fingerprint) {
        writer.persistFingerprint(pid, fingerprint);
    }

    @Override
    public String knownFingerprint(String host, int port) {
        return knownHosts.get(host, port);
    }

    @Override
    public String hostKeyTrusted(String host, int port, String fingerprint, boolean pinned) {
        return knownHosts.put(host, port, fingerprint, pinned);
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        events.post(topic, properties);
    }

    @Override
    public void statusChanged(TunnelStatus status) {
        // the registry reads the supervisors' snapshots directly; nothing to cache here
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public DoubleSupplier random() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    /** Stops the client, then the threads, waiting up to the given time for running tasks. */
    void close(long waitMillis) {
        transport.close();
        executors.shutdown(waitMillis);
    }
}
