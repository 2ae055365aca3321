package io.sshtunnel.core.engine;

import io.sshtunnel.common.Reason;

import java.nio.file.Path;
import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.ConnectionTestResult.Outcome;
import io.sshtunnel.api.ConnectionTester;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.core.ssh.ConnectRequest;
import io.sshtunnel.core.ssh.Credentials;
import io.sshtunnel.core.ssh.SshFailure;
import io.sshtunnel.core.ssh.SshLink;

/**
 * The {@link ConnectionTester}: one connection with the engine's SSH client and host-key store,
 * closed at once. A key trusted before for the server is held against it as the engine would; a
 * new one is only reported, never stored.
 */
@Component(service = ConnectionTester.class)
public final class ConnectionTestComponent implements ConnectionTester {
    static final int MAX_SECONDS = 60;

    private final Environment env;
    /** The container's default of fingerprint.required. */
    private final boolean fingerprintRequired;
    /** The open connection of a tunnel by name, for a test through a jump host ({@code via}). */
    private final java.util.function.Function<String, io.sshtunnel.core.ssh.SshLink> hops;

    @Activate
    public ConnectionTestComponent(@Reference TunnelEngine engine) {
        this(engine.environment(), engine.fingerprintRequiredByDefault(), engine::hopLink);
    }

    ConnectionTestComponent(Environment env, boolean fingerprintRequired) {
        this(env, fingerprintRequired, name -> null);
    }

    ConnectionTestComponent(Environment env, boolean fingerprintRequired,
            java.util.function.Function<String, io.sshtunnel.core.ssh.SshLink> hops) {
        this.env = env;
        this.fingerprintRequired = fingerprintRequired;
        this.hops = hops;
    }

    @Override
    public ConnectionTestResult test(TunnelRequest r) {
        long start = env.nanoTime();
        Reason missing = missing(r);
        if (missing != null) {
            return result(Outcome.INCOMPLETE, missing, null, false, start);
        }
        String host = r.serverHost().strip();
        boolean pinned = r.fingerprint() != null && !r.fingerprint().isBlank();
        String expected = pinned ? r.fingerprint().strip() : env.knownFingerprint(host, r.serverPort());
        if (expected == null && (r.fingerprintRequired() || fingerprintRequired)) {
            return result(Outcome.NOT_PINNED, Reason.of("test.notPinned"), null, false, start);
        }
        Path key = r.privateKeyPath() == null || r.privateKeyPath().isBlank() ? null : Path.of(r.privateKeyPath().strip());
        Credentials c = new Credentials(r.username().strip(), r.password() == null || r.password().isEmpty() ? null : r.password(),
                key, r.passphrase() == null || r.passphrase().isEmpty() ? null : r.passphrase(), r.proxyPassword(),
                r.certificatePath() == null ? null : Path.of(r.certificatePath()));
        int seconds = Math.max(1, Math.min(MAX_SECONDS, r.connectTimeoutSeconds()));
        ConnectRequest request = new ConnectRequest(host, r.serverPort(), c, expected, Duration.ofSeconds(seconds));
        if (r.via() != null) {
            io.sshtunnel.core.ssh.SshLink hop = hops.apply(r.via());
            if (hop == null) {
                return result(Outcome.UNREACHABLE, Reason.of("test.hopDown", r.via()), null, false, start);
            }
            request = request.through(hop, r.via());
        } else if (r.proxy() != null) {
            request = request.throughProxy(r.proxy(), r.proxyUsername());
        }
        try (SshLink link = env.connect(request, cancel -> { })) {
            String fp = link.serverFingerprint();
            boolean firstUse = expected == null;
            Reason message = firstUse ? Reason.of("test.success.firstUse", fp)
                    : pinned ? Reason.of("test.success.pinned", fp) : Reason.of("test.success.known", fp, host + ":" + r.serverPort());
            return result(Outcome.SUCCESS, message, fp, firstUse, start);
        } catch (SshFailure f) {
            // a changed key is shown, so that the operator can compare it with the server's and accept it deliberately
            return result(outcome(f), f.reason(), f.presentedFingerprint(), false, start);
        } catch (RuntimeException e) {
            return result(Outcome.FAILED, Reason.of("test.failed", e.getClass().getSimpleName() + ": " + e.getMessage()), null, false, start);
        }
    }

    private static Reason missing(TunnelRequest r) {
        if (r.serverHost() == null || r.serverHost().isBlank()) {
            return Reason.of("test.missing.host");
        }
        if (r.username() == null || r.username().isBlank()) {
            return Reason.of("test.missing.user");
        }
        boolean password = r.password() != null && !r.password().isEmpty();
        boolean key = r.privateKeyPath() != null && !r.privateKeyPath().isBlank();
        if (!password && !key) {
            return Reason.of("test.missing.credential");
        }
        if (r.serverPort() < 1 || r.serverPort() > 65535) {
            return Reason.of("test.badPort", r.serverPort());
        }
        return null;
    }

    static Outcome outcome(SshFailure f) {
        switch (f.kind()) {
        case NETWORK:
            return f.getMessage() != null && f.getMessage().contains("refused") ? Outcome.REFUSED : Outcome.UNREACHABLE;
        case TIMEOUT:
            return Outcome.TIMED_OUT;
        case HOST_KEY_MISMATCH:
            return Outcome.HOST_KEY_MISMATCH;
        case NOT_PINNED:
            return Outcome.NOT_PINNED;
        case AUTH_REJECTED:
        case PROXY_AUTH:
            return Outcome.AUTH_REJECTED;
        case KEY_FILE:
        case LOCAL:
            return Outcome.KEY_FILE;
        default:
            return Outcome.FAILED;
        }
    }

    private ConnectionTestResult result(Outcome o, Reason message, String fp, boolean firstUse, long start) {
        return new ConnectionTestResult(o, message.english(), message::in, fp, firstUse,
                Duration.ofNanos(Math.max(0, env.nanoTime() - start)));
    }
}
