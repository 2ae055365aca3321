package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.VIA;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * Through a jump host ({@code via}), against two real OpenSSH servers on loopback: a bastion and
 * a target. The far tunnel's connection passes through the bastion's tunnel (the bastion's own log
 * shows the forwarded connection to the target), carries bytes, follows the bastion when it is
 * killed and comes back, and a changed key of the target is refused before any login there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ViaIT extends OpenSshTestSupport {
    private OpenSsh bastion;

    @Before
    public void startBothServers() throws Exception {
        startServers(null); // the target (sshd) and the echo server behind it
        bastion = OpenSsh.start(Path.of(System.getProperty("itest.work", "target/itest-work"), "bastion-" + System.nanoTime()), null);
    }

    @After
    public void stopBastion() throws Exception {
        if (bastion != null) {
            bastion.close();
        }
    }

    /** The bastion's tunnel: a login only, no mappings of its own. */
    private Hashtable<String, Object> bastionTunnel() {
        Hashtable<String, Object> p = tunnel("bastion", bastion.port(), System.getProperty("user.name"), null);
        p.remove(io.sshtunnel.api.TunnelConstants.MAPPINGS);
        p.put(io.sshtunnel.api.TunnelConstants.PRIVATE_KEY_PATH, bastion.clientKey().toString());
        return p;
    }

    @Test
    public void aTunnelViaTheBastionCarriesBytesFollowsItAndHoldsTheTargetToItsKey() throws Exception {
        // without mappings a tunnel is refused, unless another one passes through it
        create("bastion", bastionTunnel());
        awaitState("bastion", TunnelState.INVALID);
        int local = Net.freePort();
        Hashtable<String, Object> far = keyTunnel("far", sshd.port(), "L " + local + ":127.0.0.1:" + echo.port() + " # echo behind the target");
        far.put(VIA, "bastion");
        create("far", far);
        awaitState("bastion", TunnelState.UP);
        TunnelStatus up = awaitState("far", TunnelState.UP);
        assertEquals("the target's key, checked here", sshd.fingerprint(), up.serverFingerprint());
        Net.assertEchoes("127.0.0.1", local, 64 * 1024);
        // the bastion opened the TCP connection to the target: its own log says so
        Await.until("the bastion's log naming the forwarded connection to the target", TIMEOUT,
                () -> bastion.log().contains("port " + sshd.port()) && bastion.count("direct-tcpip") > 0);

        // the bastion killed: the far tunnel waits for it, naming it; back, the far tunnel follows
        bastion.kill();
        TunnelStatus waiting = Await.until("the far tunnel waiting for the bastion", TIMEOUT, () -> status("far")
                .filter(s -> s.state() == TunnelState.RETRYING && s.reason() != null && s.reason().contains("\"bastion\"")).orElse(null));
        assertTrue(waiting.reason(), waiting.reason().contains("jump host"));
        bastion.start();
        awaitState("bastion", TunnelState.UP);
        awaitState("far", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", local, 64 * 1024);

        // the bastion's key changed: it stops, and the far tunnel with it, naming it; the new key accepted
        // (the fingerprint set to it), the bastion comes back and the far tunnel follows at once
        long bastionMark = bastion.logLines();
        bastion.rotateHostKey();
        awaitState("bastion", TunnelState.FAILED);
        TunnelStatus stopped = awaitState("far", TunnelState.FAILED);
        assertTrue(stopped.reason(), stopped.reason().contains("jump host's tunnel \"bastion\" failed")
                && stopped.reason().contains("does not match the pinned fingerprint"));
        assertEquals("no login at the bastion with a key it does not match", 0, bastion.countSince(bastionMark, "Accepted publickey"));
        org.osgi.service.cm.Configuration b = configAdmin.getFactoryConfiguration(io.sshtunnel.api.TunnelConstants.FACTORY_PID,
                "bastion", "?");
        java.util.Dictionary<String, Object> bp = b.getProperties();
        bp.put(io.sshtunnel.api.TunnelConstants.FINGERPRINT, bastion.fingerprint());
        b.update(bp);
        awaitState("bastion", TunnelState.UP);
        awaitState("far", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", local, 64 * 1024);

        // the target's key changed: refused through the bastion too, before any login there
        long mark = sshd.logLines();
        sshd.rotateHostKey();
        TunnelStatus failed = awaitState("far", TunnelState.FAILED);
        assertTrue(failed.reason(), failed.reason().contains("does not match the pinned fingerprint"));
        assertEquals("no login at the target with a key it does not match", 0, sshd.countSince(mark, "Accepted publickey"));
        assertEquals(TunnelState.UP, status("bastion").orElseThrow().state());
    }

    @Test
    public void aNameNoTunnelHasIsAFindingWithTheChain() throws Exception {
        int local = Net.freePort();
        Hashtable<String, Object> lost = keyTunnel("lost", sshd.port(), "L " + local + ":127.0.0.1:" + echo.port());
        lost.put(VIA, "nowhere");
        create("lost", lost);
        TunnelStatus invalid = awaitState("lost", TunnelState.INVALID);
        assertTrue(invalid.findings().toString(), invalid.findings().stream().anyMatch(f -> FindingCodes.VIA_UNKNOWN.equals(f.code())
                && f.message().contains("lost \u2192 nowhere")));
    }
}
