package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * A host key pinned by trust on first use stays pinned whatever rewrites the configuration
 * without it (a file edited or rewritten, a console edit, a restored copy) and across a restart of
 * the engine: a server that then presents another key is refused before any password is sent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostKeyPinIT extends MinaTunnelTestSupport {

    /** A tunnel trusted on first use, up, with the fingerprint written back into its configuration. */
    private Configuration pinned(String name) throws Exception {
        Configuration c = create(name, tunnel(name, server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + Net.freePort() + ":localhost:" + echo.port()));
        awaitState(name, TunnelState.UP);
        Await.until("the fingerprint written back", TIMEOUT, () -> {
            try {
                return server.fingerprint().equals(configProperties(c).get(FINGERPRINT));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        return c;
    }

    /** The configuration as a file edit that never had the fingerprint line brings it back. */
    private static Dictionary<String, Object> withoutFingerprint(Configuration c, int keepalive) {
        Hashtable<String, Object> p = new Hashtable<>();
        Dictionary<String, Object> now = c.getProperties();
        for (java.util.Enumeration<String> k = now.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            if (!key.equals(FINGERPRINT)) {
                p.put(key, now.get(key));
            }
        }
        p.put(KEEPALIVE_SECONDS, keepalive);
        return p;
    }

    private void assertRefusedWithoutAnAuthenticationAttempt(String name, int attemptsBefore) {
        TunnelStatus s = awaitState(name, TunnelState.FAILED);
        assertTrue(s.reason(), s.reason().contains("does not match the pinned fingerprint"));
        assertEquals("not a password was sent to the new key", attemptsBefore, server.passwordAttempts());
    }

    @Test
    public void aConfigurationRewrittenWithoutItsFingerprintIsStillHeldToThePinnedKey() throws Exception {
        Configuration c = pinned("edited");
        c.update(withoutFingerprint(c, 4)); // e.g. keepalive.seconds=I"4" appended to a .config file
        Await.until("the edit applied", TIMEOUT, () -> status("edited").filter(s -> s.spec().keepaliveSeconds() == 4
                && s.spec().fingerprint() == null).orElse(null));

        int attempts = server.passwordAttempts();
        server.changeHostKey();

        assertRefusedWithoutAnAuthenticationAttempt("edited", attempts);
    }

    @Test
    public void aRestartedEngineStillKnowsTheKeyItTrusted() throws Exception {
        Configuration c = pinned("restarted");
        int attempts;
        core().stop();
        try {
            c.update(withoutFingerprint(c, 6));
            server.changeHostKey();
            attempts = server.passwordAttempts();
        } finally {
            core().start();
        }
        assertRefusedWithoutAnAuthenticationAttempt("restarted", attempts);
    }

    @Test
    public void aFingerprintWrittenOnPurposeAcceptsTheNewKey() throws Exception {
        Configuration c = pinned("rekeyed");
        server.changeHostKey();
        awaitState("rekeyed", TunnelState.FAILED);

        Dictionary<String, Object> p = withoutFingerprint(c, 5);
        p.put(FINGERPRINT, server.fingerprint()); // the operator read the new key with ssh-keygen -lf
        c.update(p);

        awaitState("rekeyed", TunnelState.UP);
    }
}
