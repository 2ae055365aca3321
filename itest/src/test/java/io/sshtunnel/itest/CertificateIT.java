package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.CERTIFICATE_PATH;
import static io.sshtunnel.api.TunnelConstants.PRIVATE_KEY_PATH;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * OpenSSH user certificates against the real sshd: a key that is in no authorized_keys file logs in
 * with its certificate, signed by {@code ssh-keygen -s} with a CA the server trusts
 * ({@code TrustedUserCAKeys}); without the certificate the same key is rejected.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CertificateIT extends OpenSshTestSupport {
    private Path userKey;
    private Path certificate;

    private static void keygen(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ssh-keygen", "-q"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ssh-keygen " + String.join(" ", args) + ": " + out);
        }
    }

    @Before
    public void startSshdTrustingACa() throws Exception {
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        Path keys = Files.createDirectories(Path.of(System.getProperty("itest.work", "target/itest-work"), "certs-" + System.nanoTime())
                .toAbsolutePath());
        Path ca = keys.resolve("ca");
        userKey = keys.resolve("user_ed25519");
        keygen("-t", "ed25519", "-N", "", "-C", "itest-ca", "-f", ca.toString());
        keygen("-t", "ed25519", "-N", "", "-C", "itest-user", "-f", userKey.toString());
        keygen("-s", ca.toString(), "-I", "itest", "-n", System.getProperty("user.name"), "-V", "-5m:+1h", userKey + ".pub");
        certificate = keys.resolve("user_ed25519-cert.pub");
        assertTrue(Files.isRegularFile(certificate));
        startServers("TrustedUserCAKeys " + ca + ".pub");
    }

    private Hashtable<String, Object> withUserKey(String name, int local) {
        Hashtable<String, Object> p = keyTunnel(name, sshd.port(), "L " + local + ":127.0.0.1:" + echo.port());
        p.put(PRIVATE_KEY_PATH, userKey.toString()); // a key no authorized_keys file lists
        return p;
    }

    @Test
    public void aKeyWithItsCertificateLogsInAndWithoutItIsRejected() throws Exception {
        int local = Net.freePort();
        Hashtable<String, Object> p = withUserKey("cert", local);
        p.put(CERTIFICATE_PATH, certificate.toString());
        create("cert", p);
        awaitState("cert", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", local, 64 * 1024);
        assertTrue(sshd.log(), sshd.log().contains("ED25519-CERT") && sshd.log().contains("ID itest"));

        create("bare", withUserKey("bare", Net.freePort()));
        TunnelStatus rejected = awaitState("bare", TunnelState.FAILED);
        assertTrue(rejected.reason(), rejected.reason().contains("rejected"));
        assertEquals(1, rejected.attempts());
    }
}
