package io.sshtunnel.itest;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * An in-process MINA SSH server on 127.0.0.1 with one user, counting password attempts. It keeps
 * its host key and port across {@link #stop()} / {@link #start()}, like a restarted sshd.
 */
public final class MinaServer implements AutoCloseable {
    public static final String USER = "tunnel";
    public static final String PASSWORD = "s3cret-Passw0rd";

    private volatile KeyPair hostKey;
    private final AtomicInteger passwordAttempts = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final java.util.function.Consumer<SshServer> customizer;
    private int port;
    private SshServer server;

    public MinaServer() throws Exception {
        this(s -> { });
    }

    /** A server that demands a new key exchange after every {@code bytes} bytes. */
    public static MinaServer withRekeyLimit(long bytes) throws Exception {
        return new MinaServer(s -> org.apache.sshd.core.CoreModuleProperties.REKEY_BYTES_LIMIT.set(s, bytes));
    }

    /** A server with extra settings. */
    public MinaServer(java.util.function.Consumer<SshServer> customizer) throws Exception {
        this.customizer = customizer;
        start();
    }

    /**
     * One host key per port for the whole test run, as a real server keeps its key: the engine
     * remembers the key it trusted for each host:port, so a new server that happened to get an
     * earlier one's port with another key would look like a man in the middle.
     */
    private static final java.util.Map<Integer, KeyPair> HOST_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private static KeyPair newHostKey() {
        try {
            return withSshdLoader(() -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void start() throws IOException {
        try {
            withSshdLoader(() -> {
                SshServer s = SshServer.setUpDefaultServer();
                s.setHost("127.0.0.1");
                s.setPort(port);
                s.setKeyPairProvider(session -> List.of(hostKey)); // asked per session, once the port is known
                s.setPasswordAuthenticator((user, pw, session) -> {
                    passwordAttempts.incrementAndGet();
                    return USER.equals(user) && PASSWORD.equals(pw);
                });
                s.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
                // as OpenSSH does for interactive and forwarding sessions: no Nagle delay on small packets
                org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(s, Boolean.TRUE);
                customizer.accept(s);
                s.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
                    @Override
                    public void sessionCreated(org.apache.sshd.common.session.Session session) {
                        sessions.incrementAndGet();
                    }
                });
                s.start();
                port = s.getPort();
                hostKey = HOST_KEYS.computeIfAbsent(port, p -> newHostKey());
                server = s;
                return null;
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The server reinstalled (or a man in the middle): stops, takes a new host key, listens again on the same port. */
    public synchronized void changeHostKey() throws Exception {
        stop();
        hostKey = newHostKey();
        HOST_KEYS.put(port, hostKey);
        start();
    }

    /** Stops listening and drops every session, as a crashed or restarted server does. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public int passwordAttempts() {
        return passwordAttempts.get();
    }

    public int sessions() {
        return sessions.get();
    }

    public String fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** MINA looks at the thread context class loader first: point it at the sshd bundle. */
    static <T> T withSshdLoader(io.sshtunnel.api.ContextLoader.Action<T, Exception> action) throws Exception {
        return io.sshtunnel.api.ContextLoader.call(SshServer.class.getClassLoader(), action);
    }

    static {
        // make sure the security providers are registered from the bundle's class loader
        try {
            withSshdLoader(SecurityUtils::isEDDSACurveSupported);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
