package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.ConnectionTestResult.Outcome;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.core.ssh.SshFailure;

/**
 * The connection test the console and the shell use: one attempt, bounded in time, and nothing
 * written anywhere (no fingerprint into a configuration, no key into the known hosts).
 */
class ConnectionTestComponentTest {
    static final String FP = "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE";
    static final String OTHER = "SHA256:ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210+/ZyXwV";

    private final FakeEnvironment env = new FakeEnvironment();
    private final ConnectionTestComponent tester = new ConnectionTestComponent(env, false);

    private static TunnelRequest.Builder request() {
        return TunnelRequest.builder("t").server("ssh.customer.example", 8822).username("svc").password("secret");
    }

    @Test
    void aFirstConnectionSucceedsShowsTheKeyAndTrustsNothing() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);

        ConnectionTestResult r = tester.test(request().build());

        assertEquals(Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(FP, r.fingerprint());
        assertTrue(r.trustOnFirstUse());
        assertEquals(1, env.requests.size());
        assertNull(env.requests.get(0).expectedFingerprint(), "nothing known: the key is shown, not required");
        assertTrue(env.persisted.isEmpty(), "no fingerprint written into any configuration");
        assertTrue(env.knownHosts.isEmpty(), "no key remembered for the server");
        assertFalse(link.open, "the test's connection is closed again");
    }

    @Test
    void aWrongPasswordIsTriedExactlyOnce() {
        env.thenFail(SshFailure.Kind.AUTH_REJECTED, "authentication rejected");

        ConnectionTestResult r = tester.test(request().build());

        assertEquals(Outcome.AUTH_REJECTED, r.outcome());
        assertEquals(1, env.requests.size(), "never retried: a Windows account locks after a few wrong passwords");
    }

    @Test
    void aKeyTrustedBeforeIsHeldAgainstTheServerAndAMismatchShowsTheKeyPresented() {
        env.knownHosts.put("ssh.customer.example:8822", FP);
        env.thenFail(SshFailure.Kind.HOST_KEY_MISMATCH, "host key does not match");

        tester.test(request().build());

        assertEquals(FP, env.requests.get(0).expectedFingerprint());
        assertEquals(Outcome.HOST_KEY_MISMATCH, ConnectionTestComponent.outcome(
                new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, io.sshtunnel.common.Reason.literal("host key does not match"), null, OTHER)));
        assertEquals(List.of(), env.persisted);
    }

    @Test
    void thePinnedFingerprintWinsOverAKnownKey() {
        env.knownHosts.put("ssh.customer.example:8822", OTHER);
        env.thenConnect(new FakeLink(FP));

        ConnectionTestResult r = tester.test(request().fingerprint(FP).build());

        assertEquals(FP, env.requests.get(0).expectedFingerprint());
        assertEquals(Outcome.SUCCESS, r.outcome());
        assertFalse(r.trustOnFirstUse());
        assertTrue(r.message().contains("pinned"), r.message());
    }

    @Test
    void theTimeIsBoundedBySixtySecondsWhateverTheConfigurationAsks() {
        env.thenConnect(new FakeLink(FP));
        tester.test(request().connectTimeoutSeconds(3600).build());
        env.thenConnect(new FakeLink(FP));
        tester.test(request().connectTimeoutSeconds(0).build());

        assertEquals(Duration.ofSeconds(60), env.requests.get(0).timeout());
        assertEquals(Duration.ofSeconds(1), env.requests.get(1).timeout());
    }

    @Test
    void aTimeoutAndARefusalAreNamedAsSuch() {
        env.thenFail(SshFailure.Kind.TIMEOUT, "no answer within 15 s");
        assertEquals(Outcome.TIMED_OUT, tester.test(request().build()).outcome());
        env.thenFail(SshFailure.Kind.NETWORK, "Connection refused");
        assertEquals(Outcome.REFUSED, tester.test(request().build()).outcome());
        env.thenFail(SshFailure.Kind.NETWORK, "No route to host");
        assertEquals(Outcome.UNREACHABLE, tester.test(request().build()).outcome());
    }

    @Test
    void withFingerprintRequiredAndNoKeyKnownNothingIsSent() {
        ConnectionTestResult own = tester.test(request().fingerprintRequired(true).build());
        ConnectionTestResult container = new ConnectionTestComponent(env, true).test(request().build());

        assertEquals(Outcome.NOT_PINNED, own.outcome());
        assertEquals(Outcome.NOT_PINNED, container.outcome(), "the container's io.sshtunnel.fingerprint.required counts too");
        assertTrue(env.requests.isEmpty(), "no connection, so no password sent to an unverified server");
    }

    @Test
    void anIncompleteRequestSendsNothing() {
        assertEquals(Outcome.INCOMPLETE, tester.test(TunnelRequest.builder("t").server("h", 22).username("u").build()).outcome());
        assertEquals(Outcome.INCOMPLETE, tester.test(TunnelRequest.builder("t").server("", 22).username("u").password("p").build()).outcome());
        assertTrue(env.requests.isEmpty());
    }

    @Test
    void theAnswerSpeaksGermanToAGermanReaderAndEnglishOtherwise() {
        var missing = tester.test(TunnelRequest.builder("t").server("h", 22).username("u").build());
        assertEquals("fill in a password or private.key.path to test the connection", missing.message());
        assertEquals(missing.message(), missing.message(java.util.Locale.ENGLISH));
        assertEquals("ein Passwort oder private.key.path ausf\u00fcllen, um die Verbindung zu testen",
                missing.message(java.util.Locale.GERMAN));
        env.thenConnect(new FakeLink(FP));
        var ok = tester.test(request().build());
        assertTrue(ok.message(java.util.Locale.GERMAN).startsWith("Verbindung erfolgreich getestet"), ok.message(java.util.Locale.GERMAN));
        assertTrue(ok.message().startsWith("connection tested successfully"), ok.message());
    }
}
