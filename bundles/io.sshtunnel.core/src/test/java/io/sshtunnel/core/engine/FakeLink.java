package io.sshtunnel.core.engine;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.core.ssh.ForwardHandle;
import io.sshtunnel.core.ssh.SshLink;

/**
 * A Mockito mock of the final {@link SshLink} that behaves like a live session: forwards succeed
 * (each a mocked {@link ForwardHandle}) unless told to fail, and closing it, or the server
 * dropping it, calls the {@code onClose} listeners once, as MINA does.
 */
final class FakeLink {
    final SshLink mock = mock(SshLink.class);
    final List<Consumer<String>> closeListeners = new ArrayList<>();
    /** IOException to throw per bind port. */
    final Map<Integer, IOException> failures = new HashMap<>();
    /** Every handle opened, by bind port (the latest for a port). */
    final Map<Integer, ForwardHandle> handles = new LinkedHashMap<>();
    final List<ForwardHandle> allHandles = new ArrayList<>();
    final List<String> forwarded = new ArrayList<>();
    boolean open = true;

    FakeLink(String fingerprint) {
        when(mock.serverFingerprint()).thenReturn(fingerprint);
        when(mock.isOpen()).thenAnswer(i -> open);
        when(mock.probe(any())).thenReturn(true);
        doAnswer(i -> {
            closeListeners.add(i.getArgument(0));
            return null;
        }).when(mock).onClose(any());
        doAnswer(i -> {
            drop("closed by the tunnel");
            return null;
        }).when(mock).close();
        try {
            when(mock.forward(any())).thenAnswer(i -> forward(i.getArgument(0)));
            when(mock.forward(any(), any())).thenAnswer(i -> forward(i.getArgument(0)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    FakeLink failing(int bindPort, IOException e) {
        failures.put(bindPort, e);
        return this;
    }

    private ForwardHandle forward(PortMapping m) throws IOException {
        forwarded.add(m.format());
        if (!open) {
            throw new IOException("session is closed");
        }
        IOException e = failures.get(m.bindPort());
        if (e != null) {
            throw e;
        }
        ForwardHandle h = mock(ForwardHandle.class);
        when(h.boundAddress()).thenReturn(InetSocketAddress.createUnresolved(m.effectiveBindHost(), m.bindPort()));
        handles.put(m.bindPort(), h);
        allHandles.add(h);
        return h;
    }

    ForwardHandle handle(int bindPort) {
        ForwardHandle h = handles.get(bindPort);
        if (h == null) {
            throw new AssertionError("no forward opened on port " + bindPort + "; opened: " + handles.keySet());
        }
        return h;
    }

    /** The session ends (server gone, or closed by us): listeners hear it once. */
    void drop(String why) {
        if (!open) {
            return;
        }
        open = false;
        for (Consumer<String> l : new ArrayList<>(closeListeners)) {
            l.accept(why);
        }
    }
}
