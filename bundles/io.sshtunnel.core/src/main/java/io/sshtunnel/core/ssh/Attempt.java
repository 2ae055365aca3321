package io.sshtunnel.core.ssh;

import java.util.Set;
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
    /** "host:port" of each local target an R mapping of this session leads to. */
    private final Set<String> remoteTargets = ConcurrentHashMap.newKeySet();
    /** "host:port" of each local listener an L mapping of this session may bind. */
    private final Set<String> localBinds = ConcurrentHashMap.newKeySet();

    Attempt(String expectedFingerprint) {
        this.expectedFingerprint = expectedFingerprint;
    }

    void allowTarget(SshdSocketAddress target) {
        remoteTargets.add(key(target));
    }

    void revokeTarget(SshdSocketAddress target) {
        remoteTargets.remove(key(target));
    }

    boolean targetAllowed(SshdSocketAddress target) {
        return target != null && remoteTargets.contains(key(target));
    }

    void allowBind(SshdSocketAddress bind) {
        localBinds.add(key(bind));
    }

    void revokeBind(SshdSocketAddress bind) {
        localBinds.remove(key(bind));
    }

    boolean bindAllowed(SshdSocketAddress bind) {
        return bind != null && localBinds.contains(key(bind));
    }

    private static String key(SshdSocketAddress a) {
        return a.getHostName().toLowerCase(java.util.Locale.ROOT) + ":" + a.getPort();
    }
}
