package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The engine as an SSH client, audited by {@code ssh-audit -c} (Debian package ssh-audit): no
 * algorithm it offers may be marked {@code [fail]}, except the NIST elliptic curves, kept on
 * purpose: FIPS-mode servers (RHEL and others in FIPS mode) offer only NIST key exchanges and
 * ECDSA or RSA host keys, and we offer them last, after ML-KEM, sntrup761 and curve25519, so they
 * are used only with a server that has nothing better.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SshAuditIT extends MinaTunnelTestSupport {
    /** The NIST curves, key exchange and host keys: the documented exceptions. */
    private static final Pattern NIST = Pattern.compile("ecdh-sha2-nistp\\d+|(sk-)?ecdsa-sha2-nistp\\d+(-cert-v01@openssh\\.com)?");
    private static final Pattern FAIL = Pattern.compile("^\\((kex|key|enc|mac)\\)\\s+(\\S+)\\s+-- \\[fail\\]");

    static String binary() {
        for (String c : new String[] { "/usr/bin/ssh-audit", "/usr/local/bin/ssh-audit" }) {
            if (new File(c).canExecute()) {
                return c;
            }
        }
        return null;
    }

    @Test
    public void theClientOffersNothingSshAuditFailsButTheDocumentedNistCurves() throws Exception {
        String audit = binary();
        Requirements.require(audit != null, "ssh-audit is not installed (CI installs the Debian package ssh-audit)");
        int port = Net.freePort();
        Path out = Files.createTempFile("ssh-audit", ".txt");
        Process p = new ProcessBuilder(audit, "-n", "-c", "-p", String.valueOf(port), "-t", "30")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // retried every second until ssh-audit listens; it audits the first client and exits
            Hashtable<String, Object> t = tunnel("audited", port, "auditor", "not-sent-anywhere", "L " + Net.freePort() + ":x:1");
            t.put(RECONNECT_MAX_SECONDS, 1);
            create("audited", t);
            assertTrue("ssh-audit finished its audit", p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertTrue(String.join("\n", lines), lines.stream().anyMatch(l -> l.contains("(kex)")));
        List<String> failing = lines.stream().map(FAIL::matcher).filter(Matcher::find).map(m -> m.group(2))
                .filter(name -> !NIST.matcher(name).matches()).collect(Collectors.toList());
        assertEquals("algorithms ssh-audit fails, other than the documented NIST curves:\n" + String.join("\n", lines),
                List.of(), failing);
        Figures.record("ssh-audit", "[fail] lines (all NIST curves, kept on purpose)",
                String.valueOf(lines.stream().filter(l -> FAIL.matcher(l).find()).count()));
    }
}
