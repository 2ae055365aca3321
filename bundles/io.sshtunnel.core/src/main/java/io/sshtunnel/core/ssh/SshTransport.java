package io.sshtunnel.core.ssh;

import io.sshtunnel.common.Reason;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

import io.sshtunnel.common.ContextLoader;

/**
 * The one place that speaks Apache MINA SSHD. Owns a single {@link SshClient} shared by every
 * tunnel (its I/O threads do not grow with the number of tunnels), configured for us rather
 * than for an interactive user: no {@code ~/.ssh} config or identities, host keys checked against
 * the pinned fingerprint, a hardened algorithm list, no idle timeout (the supervisor's keepalive
 * decides when a connection is dead), TCP_NODELAY on.
 */
public final class SshTransport implements AutoCloseable {
    /** Key exchanges: hybrid post-quantum, curve25519/448, ECDH. No SHA-1, no plain DH groups. */
    static final List<BuiltinDHFactories> KEX = List.of(
            BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.sntrup761x25519, BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.curve448, BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521);
    /**
     * Ciphers: AEAD first (AES-GCM runs on the JDK's AES intrinsics; chacha20-poly1305 is ours, on
     * the JDK's ChaCha20), then AES-CTR. No CBC.
     */
    static final List<NamedFactory<Cipher>> CIPHERS = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, ChaCha20Poly1305.FACTORY,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);
    /** MACs (used with CTR only): encrypt-then-MAC SHA-2. No SHA-1, no MD5. */
    static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm);
    /** Host key and user key signatures. No {@code ssh-rsa} (SHA-1), no DSA. */
    static final List<BuiltinSignatures> SIGNATURES = List.of(
            BuiltinSignatures.ed25519, BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert, BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256,
            BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert);

    private final SshClient client;
    private final Counting counting;
    private final AddressResolver resolver;
    /** The R connections' channels and their connector, closed with the client. */
    private final ForwardedChannelFactory forwarded;
    /** The cipher warm-up, started by the first connection attempt: an engine without tunnels pays nothing. */
    private Thread warmup;
    private boolean closed;

    private SshTransport(SshClient client, Counting counting, AddressResolver resolver, ForwardedChannelFactory forwarded) {
        this.forwarded = forwarded;
        this.client = client;
        this.counting = counting;
        this.resolver = resolver;
    }

    private synchronized void warmUpOnce() {
        if (warmup == null && !closed) {
            warmup = CipherWarmup.start(client.getCipherFactories());
        }
    }

    /**
     * MINA's switch for adding BouncyCastle to the JVM-wide provider list. Left at its default,
     * the provider instance of one bcprov bundle stays registered after that bundle is refreshed
     * or stopped, and every later lookup by name gets a provider whose class loader is gone. We
     * make MINA use the provider instance directly instead, unless the operator decided otherwise.
     *
     * <p>It is a system property because there is no per-client way: MINA's provider registry is
     * static state of the sshd bundle, shared by every bundle that uses it, and it reads this switch
     * from the system properties once, when it first registers BouncyCastle (before any client
     * exists). A registrar of our own would need BouncyCastle as a mandatory import. We set it only
     * when nobody did, say so in the log, and docs/running.md documents it.
     */
    /** The accept queue of each L listener: more than OpenSSH's 128, as many connects at once are what it is for. */
    static final int LISTEN_BACKLOG = 1024;

    static final String BC_USE_NAMED = "org.apache.sshd.security.provider.BC.useNamed";

    /** Creates and starts the shared client with the default cipher preference. */
    public static SshTransport start() {
        return start(List.of());
    }

    /**
     * The ciphers in preference order: the names given (from the hardened list only; others are
     * ignored), or the default order when none of them is known.
     */
    static List<NamedFactory<Cipher>> ciphers(List<String> names) {
        List<NamedFactory<Cipher>> chosen = new ArrayList<>();
        for (String n : names) {
            for (NamedFactory<Cipher> c : CIPHERS) {
                if (c.getName().equals(n.trim()) && !chosen.contains(c)) {
                    chosen.add(c);
                }
            }
        }
        return chosen.isEmpty() ? CIPHERS : chosen;
    }

    /** The cipher names of the hardened list, for messages. */
    public static List<String> knownCiphers() {
        List<String> names = new ArrayList<>();
        CIPHERS.forEach(c -> names.add(c.getName()));
        return names;
    }

    /**
     * Creates and starts the shared client.
     *
     * @param cipherPreference cipher names in the order to offer them (empty: AES-GCM first, the JDK's AES intrinsics make it the fastest)
     */
    public static SshTransport start(List<String> cipherPreference) {
        return start(cipherPreference, AddressResolver.JVM);
    }

    /**
     * Creates and starts the shared client.
     *
     * @param cipherPreference cipher names in the order to offer them (empty: the default order)
     * @param resolver turns the server's name into addresses at every attempt
     */
    public static SshTransport start(List<String> cipherPreference, AddressResolver resolver) {
        if (System.getProperty(BC_USE_NAMED) == null) {
            System.setProperty(BC_USE_NAMED, "false");
            org.slf4j.LoggerFactory.getLogger(SshTransport.class).info("Set the system property {}=false: MINA SSHD"
                    + " uses its BouncyCastle provider instance instead of a JVM-wide registration that a bundle refresh"
                    + " would leave stale (set it yourself to decide otherwise)", BC_USE_NAMED);
        }
        return withSshdLoader(() -> {
            ForwardedChannelFactory forwarded = new ForwardedChannelFactory();
            SshClient client = ClientBuilder.builder()
                    .hostConfigEntryResolver(HostConfigEntryResolver.EMPTY)
                    .serverKeyVerifier(SshTransport::verifyServerKey)
                    .forwardingFilter(new TunnelForwardingFilter())
                    .channelFactories(List.of(forwarded))
                    .keyExchangeFactories(NamedFactory.setUpTransformedFactories(true, KEX, ClientBuilder.DH2KEX))
                    .cipherFactories(supported(ciphers(cipherPreference)))
                    .macFactories(supported(MACS))
                    .signatureFactories(supported(SIGNATURES))
                    .build();
            Counting counting = new Counting();
            client.setIoServiceFactoryFactory(counting.ioFactory());
            client.addChannelListener(counting.channels());
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.setForwarderFactory(TunnelForwarder::new);
            client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
            client.setAgentFactory(null);
            CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
            CoreModuleProperties.NIO2_READ_TIMEOUT.set(client, Duration.ZERO);
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ZERO);
            CoreModuleProperties.TCP_NODELAY.set(client, Boolean.TRUE);
            // L listeners: the JDK's default backlog of 50 made the kernel drop SYNs when 100 clients
            // connected at once, and each dropped one retried only after 1 s (OpenSSH listens with 128)
            CoreModuleProperties.SOCKET_BACKLOG.set(client, LISTEN_BACKLOG);
            CoreModuleProperties.PASSWORD_PROMPTS.set(client, 1);
            client.start();
            return new SshTransport(client, counting, resolver, forwarded);
        });
    }

    private static <T> List<NamedFactory<T>> supported(List<? extends NamedFactory<T>> preferred) {
        List<NamedFactory<T>> out = new ArrayList<>();
        for (NamedFactory<T> f : preferred) {
            if (!(f instanceof org.apache.sshd.common.OptionalFeature o) || o.isSupported()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Runs the action with the sshd bundle's class loader as the thread context class loader:
     * MINA tries the TCCL first, and another copy of sshd there breaks it.
     */
    public static <T> T withSshdLoader(Supplier<T> action) {
        return ContextLoader.call(SshClient.class.getClassLoader(), action::get);
    }

    /** The class loader MINA's classes come from, for worker threads' context class loader. */
    public static ClassLoader sshdClassLoader() {
        return SshClient.class.getClassLoader();
    }

    /** The SHA-256 fingerprint of a key, exactly as {@code ssh-keygen -lf} prints it ({@code SHA256:...}). */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /**
     * Opens and authenticates a connection, or says why not. Blocks for at most the request's
     * timeout. The {@code canceller} receives a hook that aborts the attempt from another thread.
     */
    public SshLink connect(ConnectRequest request, java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        warmUpOnce(); // runs beside the key exchange and authentication, before the first byte is forwarded
        long deadline = System.nanoTime() + request.timeout.toNanos();
        List<KeyPair> keys = request.credentials.keyFile() == null ? List.of()
                : KeyFiles.load(request.credentials.keyFile(), request.credentials.passphrase());
        if (request.credentials.certificateFile() != null && !keys.isEmpty()) {
            keys = KeyFiles.withCertificate(keys, request.credentials.certificateFile());
        }
        Attempt attempt = new Attempt(request.expectedFingerprint);
        ClientSession session = openSession(request, attempt, deadline, canceller);
        try {
            authenticate(session, request, keys, attempt, deadline);
            SshLink link = new SshLink(session, attempt, counting);
            session = null; // owned by the link now
            return link;
        } catch (IOException | RuntimeException e) {
            // MINA throws IllegalStateException (and friends) when the session closes under it, e.g.
            // when the server goes away between the TCP connect and the authentication request
            throw classify(request, e, attempt);
        } finally {
            if (session != null) {
                session.close(true);
            }
        }
    }

    /**
     * The TCP connection and the SSH handshake up to (not including) authentication: the name
     * resolved afresh, and its addresses tried in turn while one refuses or cannot be reached, as
     * {@code ssh} does. Anything past the TCP connection (a host key, a handshake) ends the attempt.
     */
    private ClientSession openSession(ConnectRequest request, Attempt attempt, long deadline,
            java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        if (request.hop != null) {
            return openSessionThrough(request, attempt, deadline, canceller);
        }
        if (request.proxy != null) {
            return openSessionThroughProxy(request, attempt, deadline, canceller);
        }
        List<java.net.InetAddress> addresses;
        try {
            addresses = resolver.resolve(request.host, Duration.ofNanos(Math.max(remaining(deadline), 1_000_000L)));
        } catch (java.net.UnknownHostException e) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.resolve", request.host, e.getMessage()), e);
        }
        SshFailure last = null;
        for (java.net.InetAddress a : addresses) {
            try {
                return openSessionAt(request.at(a), attempt, deadline, canceller);
            } catch (SshFailure f) {
                if (last != null) {
                    f.addSuppressed(last); // the addresses tried before, for the log
                }
                last = f;
                // only an address nobody answers at moves on to the next; a server that answered decides
                boolean unreachable = f.kind() == SshFailure.Kind.NETWORK && !attempt.hostKeyRejected
                        && (f.getMessage().contains(" refused ") || f.getMessage().startsWith("no route"));
                if (!unreachable || remaining(deadline) == 0) {
                    throw f;
                }
            }
        }
        throw last;
    }

    /**
     * Through the jump host's connection: it opens the TCP connection to the server (and resolves
     * its name); the key exchange, the server's key check and the login are this connection's, as
     * with {@code ProxyJump}. The way in closes with the connection.
     */
    private ClientSession openSessionThrough(ConnectRequest request, Attempt attempt, long deadline,
            java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        ForwardHandle jump;
        try {
            jump = request.hop.jumpTo(request.host, request.port);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.jump", request.hopName, request.host + ":" + request.port,
                    e.getMessage()), e);
        }
        try {
            ClientSession session = openSessionEntering(request, jump, attempt, deadline, canceller);
            // its one connection made, the way in takes no other (a local user's) for the rest of it
            jump.close();
            return session;
        } catch (SshFailure f) {
            if (f.kind() == SshFailure.Kind.NETWORK || f.kind() == SshFailure.Kind.PROTOCOL || f.kind() == SshFailure.Kind.TIMEOUT) {
                // the jump host accepted and then closed: ask it why (its server could not connect there, most likely)
                String why = attempt.hostKeyRejected ? null
                        : request.hop.reaches(request.host, request.port, java.time.Duration.ofNanos(Math.max(remaining(deadline), 1_000_000_000L)));
                if (why != null) {
                    throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.jump", request.hopName,
                            request.host + ":" + request.port, why), f);
                }
            }
            throw f;
        }
    }

    /**
     * Through the company's proxy: the proxy connects to the server (and resolves its name); the
     * SSH connection goes to the relay on this machine that the proxy's connection feeds, and the
     * relay closes with it. Only the SSH client's own connection is taken by the relay.
     */
    private ClientSession openSessionThroughProxy(ConnectRequest request, Attempt attempt, long deadline,
            java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        ProxyConnection relay = ProxyConnection.open(request.proxy, request.proxyUser, request.credentials.proxyPassword(),
                request.host, request.port, deadline);
        try {
            ClientSession session = openSessionEntering(request, relay, attempt, deadline, canceller);
            java.net.SocketAddress from = relay.acceptedFrom(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))));
            java.net.SocketAddress ours = session.getIoSession().getLocalAddress();
            if (from == null || !from.equals(ours)) {
                session.close(true);
                throw new SshFailure(SshFailure.Kind.LOCAL, Reason.of("proxy.stolen", io.sshtunnel.common.Urls.withoutUserInfo(request.proxy)), null);
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.close();
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.cancelled"), e);
        }
    }

    /** The session through a way in on this machine (a jump host's or a proxy's), which closes with it or when it fails. */
    private ClientSession openSessionEntering(ConnectRequest request, ForwardHandle way, Attempt attempt, long deadline,
            java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        try {
            ClientSession session = openSessionAt(request.entering(way.boundAddress()), attempt, deadline, canceller);
            session.addCloseFutureListener(f -> way.close());
            return session;
        } catch (SshFailure f) {
            way.close();
            throw f;
        }
    }

    /** One address: the TCP connection and the handshake up to authentication. */
    private ClientSession openSessionAt(ConnectRequest request, Attempt attempt, long deadline,
            java.util.function.Consumer<Runnable> canceller) throws SshFailure {
        ConnectFuture connect;
        try {
            connect = client.connect(request.credentials.username(), request.connectHost(), request.connectPort(),
                    AttributeRepository.ofKeyValuePair(Attempt.KEY, attempt), null);
        } catch (IOException | RuntimeException e) {
            throw classify(request, e, attempt);
        }
        canceller.accept(() -> {
            connect.cancel();
            ClientSession s = connect.isConnected() ? connect.getSession() : null;
            if (s != null) {
                s.close(true);
            }
        });
        try {
            if (!connect.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                connect.cancel();
                throw new SshFailure(SshFailure.Kind.TIMEOUT, Reason.of("reason.tcpTimeout", request.where(),
                        request.timeout.toSeconds()), null);
            }
        } catch (IOException | RuntimeException e) {
            throw classify(request, e, attempt);
        }
        if (connect.isCanceled()) {
            throw new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.cancelled"), null);
        }
        Throwable err = connect.getException();
        if (err != null) {
            throw classify(request, err, attempt);
        }
        return connect.getSession();
    }

    /** Offers the key pairs, then the password, within what is left of the request's timeout. */
    private static void authenticate(ClientSession session, ConnectRequest request, List<KeyPair> keys, Attempt attempt,
            long deadline) throws IOException, SshFailure {
        CoreModuleProperties.AUTH_TIMEOUT.set(session, Duration.ofNanos(Math.max(remaining(deadline), 1_000_000L)));
        // MINA holds a session lock while it waits for the answer to an R request, and incoming R
        // connections wait for that lock: keep the wait well below the keepalive's patience
        CoreModuleProperties.FORWARD_REQUEST_TIMEOUT.set(session, request.forwardRequestTimeout);
        List<UserAuthFactory> methods = new ArrayList<>();
        for (KeyPair k : keys) {
            session.addPublicKeyIdentity(k);
        }
        if (!keys.isEmpty()) {
            methods.add(UserAuthPublicKeyFactory.INSTANCE);
        }
        if (request.credentials.password() != null) {
            session.addPasswordIdentity(request.credentials.password());
            methods.add(UserAuthPasswordFactory.INSTANCE);
        }
        session.setUserAuthFactories(new ArrayList<>(methods));
        AuthFuture auth = session.auth();
        boolean done = auth.await(remaining(deadline), TimeUnit.NANOSECONDS);
        if (attempt.hostKeyRejected) {
            throw hostKeyMismatch(request, attempt);
        }
        if (!done) {
            throw new SshFailure(SshFailure.Kind.TIMEOUT, Reason.of("reason.handshakeTimeout", request.host + ":" + request.port,
                    request.timeout.toSeconds()), null);
        }
        if (!auth.isSuccess()) {
            throw classify(request, auth.getException(), attempt);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0L, deadline - System.nanoTime());
    }

    private static SshFailure hostKeyMismatch(ConnectRequest r, Attempt a) {
        return new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, Reason.of("reason.hostKeyMismatch", r.where(),
                a.expectedFingerprint, a.presentedFingerprint), null, a.presentedFingerprint);
    }

    static SshFailure classify(ConnectRequest r, Throwable e, Attempt a) {
        if (a.hostKeyRejected) {
            return hostKeyMismatch(r, a);
        }
        String where = r.where();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.resolve.plain", r.host), e);
            }
            if (t instanceof ConnectException) {
                return new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.refused", where), e);
            }
            if (t instanceof NoRouteToHostException) {
                return new SshFailure(SshFailure.Kind.NETWORK, Reason.of("reason.noRoute", where), e);
            }
            if (t instanceof SocketTimeoutException) {
                return new SshFailure(SshFailure.Kind.TIMEOUT, Reason.of("reason.connectTimeout", where), e);
            }
            String text = String.valueOf(t.getMessage());
            if (text.contains("Too many authentication failures") || text.contains("No more authentication methods")) {
                return new SshFailure(SshFailure.Kind.AUTH_REJECTED, Reason.of("reason.authRejected.detail", r.credentials.username(),
                        where, text), e);
            }
            if (t instanceof SshException) {
                int code = ((SshException) t).getDisconnectCode();
                if (code == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE
                        || code == SshConstants.SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER
                        || code == SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME) {
                    return new SshFailure(SshFailure.Kind.AUTH_REJECTED, Reason.of("reason.authRejected", r.credentials.username(),
                            where), e);
                }
            }
        }
        String msg = e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new SshFailure(SshFailure.Kind.PROTOCOL, Reason.of("reason.protocol", where, msg), e);
    }

    private static boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        Attempt a = attempt(session);
        if (a == null) {
            return false;
        }
        String presented = fingerprint(key);
        a.presentedFingerprint = presented;
        if (a.expectedFingerprint == null || a.expectedFingerprint.equals(presented)) {
            return true;
        }
        a.hostKeyRejected = true;
        return false;
    }

    static Attempt attempt(Session session) {
        if (!(session instanceof ClientSession)) {
            return null;
        }
        AttributeRepository ctx = ((ClientSession) session).getConnectionContext();
        return ctx == null ? null : ctx.getAttribute(Attempt.KEY);
    }

    /** Listens for L binds and accepts R connections only where this session's mappings say. */
    private static final class TunnelForwardingFilter implements ForwardingFilter {
        @Override
        public boolean canForwardAgent(Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canForwardX11(Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canListen(SshdSocketAddress address, Session session) {
            Attempt a = attempt(session);
            return a != null && a.bindAllowed(address);
        }

        @Override
        public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
            Attempt a = attempt(session);
            return type == TcpForwardingFilter.Type.Forwarded && a != null && a.targetAllowed(address);
        }
    }

    /** The client, for tests of its configuration. */
    SshClient client() {
        return client;
    }

    /** Stops the client and every session it holds. */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            closed = true;
            w = warmup;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        withSshdLoader(() -> {
            try {
                client.stop();
            } catch (RuntimeException e) {
                // stopping is best effort; the sessions' sockets are closed by stop() itself
            }
            forwarded.close();
            return null;
        });
    }
}
