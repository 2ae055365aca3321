package io.sshtunnel.core.ssh;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * MINA's forwarder, minus one lock. {@code DefaultForwarder} holds its monitor while it waits for
 * the server's answer to an {@code R} request, and looks up the target of every incoming {@code R}
 * connection under the same monitor, on the session's I/O thread. With traffic on one {@code R}
 * mapping, asking for another one therefore stalls the session until the request times out (the
 * answer queues behind the blocked connection), keepalive replies included. This forwarder answers
 * the look-up from its own concurrent table, without the monitor.
 */
final class TunnelForwarder extends DefaultForwarder {
    private final Map<Integer, SshdSocketAddress> targets = new ConcurrentHashMap<>();

    TunnelForwarder(ConnectionService service) {
        super(service);
    }

    @Override
    public SshdSocketAddress startRemotePortForwarding(SshdSocketAddress remote, SshdSocketAddress local) throws IOException {
        boolean fixedPort = remote.getPort() != 0;
        if (fixedPort) {
            targets.putIfAbsent(remote.getPort(), local); // known before the answer, which may be followed at once by a connection
        }
        try {
            SshdSocketAddress bound = super.startRemotePortForwarding(remote, local);
            targets.put(bound.getPort(), local);
            return bound;
        } catch (IOException | RuntimeException e) {
            if (fixedPort) {
                targets.remove(remote.getPort(), local);
            }
            throw e;
        }
    }

    @Override
    public void stopRemotePortForwarding(SshdSocketAddress remote) throws IOException {
        targets.remove(remote.getPort());
        super.stopRemotePortForwarding(remote);
    }

    @Override
    public SshdSocketAddress getForwardedPort(int remotePort) {
        return targets.get(remotePort);
    }
}
