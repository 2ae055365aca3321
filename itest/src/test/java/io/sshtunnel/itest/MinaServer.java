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

    private final KeyPair hostKey;
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
        hostKey = withSshdLoader(() -> KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256));
        start();
    }

    public synchronized void start() throws IOException {
        try {
            withSshdLoader(() -> {
                SshServer s = SshServer.setUpDefaultServer();
                s.setHost("127.0.0.1");
                s.setPort(port);
                s.setKeyPairProvider(KeyPairProvider.wrap(List.of(hostKey)));
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
                server = s;
                return null;
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
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
