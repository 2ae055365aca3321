package io.sshtunnel.core.ssh;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Per-connection facts the shared client's callbacks need: the pinned fingerprint, the key the
 * server presented, and which local targets incoming {@code R} connections may reach.
 */
final class Attempt {
    static final AttributeKey<Attempt> KEY = new AttributeKey<>();

    final String expectedFingerprint;
    volatile String presentedFingerprint;
    volatile boolean hostKeyRejected;
    /** "host:port" of each local target R mappings of this session lead to, with how many do. */
    private final ConcurrentHashMap<String, Integer> remoteTargets = new ConcurrentHashMap<>();
    /** "host:port" of each local listener L mappings of this session may bind, with how many may. */
    private final ConcurrentHashMap<String, Integer> localBinds = new ConcurrentHashMap<>();

    /** The counters of this session's R mappings, by the port the server listens on. */
    private final ConcurrentHashMap<Integer, ForwardCounter> remoteCounters = new ConcurrentHashMap<>();

    Attempt(String expectedFingerprint) {
        this.expectedFingerprint = expectedFingerprint;
    }

    // counted: two R mappings may lead to one target, and removing one must not lock out the other

    void allowTarget(SshdSocketAddress target) {
        remoteTargets.merge(key(target), 1, Integer::sum);
    }

    void revokeTarget(SshdSocketAddress target) {
        remoteTargets.computeIfPresent(key(target), (k, n) -> n > 1 ? n - 1 : null);
    }

    boolean targetAllowed(SshdSocketAddress target) {
        return target != null && remoteTargets.containsKey(key(target));
    }

    void allowBind(SshdSocketAddress bind) {
        localBinds.merge(key(bind), 1, Integer::sum);
    }

    void revokeBind(SshdSocketAddress bind) {
        localBinds.computeIfPresent(key(bind), (k, n) -> n > 1 ? n - 1 : null);
    }

    boolean bindAllowed(SshdSocketAddress bind) {
        return bind != null && localBinds.containsKey(key(bind));
    }

    void countRemote(int port, ForwardCounter c) {
        if (c != null) {
            remoteCounters.put(port, c);
        }
    }

    void uncountRemote(int port, ForwardCounter c) {
        if (c != null) {
            remoteCounters.remove(port, c);
        }
    }

    ForwardCounter remoteCounter(int port) {
        return remoteCounters.get(port);
    }

    private static String key(SshdSocketAddress a) {
        return a.getHostName().toLowerCase(java.util.Locale.ROOT) + ":" + a.getPort();
    }
}
