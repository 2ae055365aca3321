package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** The {@code tunnel:*} commands run through Gogo's own command processor, against the in-process SSH server. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends MinaTunnelTestSupport {
    @Inject
    private CommandProcessor processor;

    /** Runs a command line and returns what it printed (its result, as Gogo shows it). */
    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the command's output only: what the container logs meanwhile (to System.err) goes to the session's error stream
        try (PrintStream ps = new PrintStream(out, true, "UTF-8");
                PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8")) {
            CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, log);
            try {
                Object result = session.execute(line);
                if (result != null) {
                    ps.print(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
                }
            } finally {
                session.close();
            }
        }
        return out.toString("UTF-8");
    }

    /** {@link #run}, for a wait: a failure is what it printed. */
    private String runQuietly(String line) {
        try {
            return run(line);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String fails(String line) throws Exception {
        try {
            String printed = run(line);
            fail(line + " did not fail: " + printed);
            return null;
        } catch (IllegalArgumentException e) {
            assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
            return e.getMessage();
        }
    }

    @Test
    public void listInfoDisableAndEnableShowWhatTheEngineKnows() throws Exception {
        int port = Net.freePort();
        create("crm", tunnel("crm", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L " + port + ":localhost:" + echo.port() + " # crm"));
        awaitState("crm", TunnelState.UP);

        String list = run("tunnel:list");
        assertTrue(list, list.startsWith("Name"));
        assertTrue(list, list.lines().anyMatch(l -> l.startsWith("crm ") && l.contains("(administrator)") && l.contains("UP")
                && l.contains("1/1") && l.contains("127.0.0.1:" + server.port())));

        String info = run("tunnel:info crm");
        assertTrue(info, info.contains("State       UP"));
        assertTrue(info, info.contains("Only this machine can reach port " + echo.port() + " on the SSH server itself, through the SSH"
                + " server, at 127.0.0.1:" + port + "."));
        assertFalse("no secret: " + info, info.contains(MinaServer.PASSWORD));

        String export = run("tunnel:export crm");
        assertTrue(export, export.contains("Host crm\n") && export.contains("    LocalForward 127.0.0.1:" + port + " localhost:"
                + echo.port() + "\n") && export.contains(" -L 127.0.0.1:" + port + ":localhost:" + echo.port() + " "));
        assertFalse("no secret: " + export, export.contains(MinaServer.PASSWORD));

        assertEquals("tunnel \"crm\" disabled\n", run("tunnel:disable crm"));
        TunnelStatus off = awaitState("crm", TunnelState.DISABLED);
        assertEquals("enabled is false", off.reason());
        assertEquals("tunnel \"crm\" enabled\n", run("tunnel:enable crm"));
        awaitState("crm", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", port, 1000);
        // the counters of what just crossed: one connection, none open or failed, 1000 bytes each way
        String counted = Await.until(() -> "the counters in tunnel:info", TIMEOUT, () -> {
            String i = runQuietly("tunnel:info crm");
            return i.lines().anyMatch(l -> l.contains("L " + port + ":localhost:" + echo.port()) && l.contains("1 (0, 0)")
                    && l.matches(".*\\|\\s*1000 B\\s*\\|\\s*1000 B\\s*\\|.*")) ? i : null;
        });
        assertTrue(counted, counted.contains("Connects    2, disconnects 1")); // up, disabled, up again

        // a module's tunnel: every command that would change it names the owner, and nothing changes
        java.util.Hashtable<String, Object> owned = tunnel("metrics", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "R " + Net.freePort() + ":localhost:" + echo.port());
        owned.put("owner", "com.example.monitoring");
        owned.put("enabled", false);
        create("metrics", owned);
        awaitState("metrics", TunnelState.DISABLED);
        String refused = fails("tunnel:enable metrics");
        assertTrue(refused, refused.startsWith("tunnel \"metrics\" was not enabled: tunnel \"metrics\" is owned by module"
                + " \"com.example.monitoring\""));
        assertTrue(refused, refused.endsWith("nothing was changed"));
        assertEquals(Boolean.FALSE, configAdmin.listConfigurations("(name=metrics)")[0].getProperties().get("enabled"));

        String unknown = fails("tunnel:info nosuch");
        assertEquals("there is no tunnel \"nosuch\": tunnel:list shows every tunnel", unknown);
    }

    @Test
    public void testPrintsTheFingerprintOrTheExactFailure() throws Exception {
        Path pw = Files.createTempFile("pw", ".txt");
        Files.writeString(pw, MinaServer.PASSWORD + "\n");
        String ok = run("tunnel:test --host 127.0.0.1 --port " + server.port() + " --user " + MinaServer.USER + " --password-file " + pw);
        assertTrue(ok, ok.startsWith("OK: connection tested successfully"));
        assertTrue(ok, ok.contains("fingerprint SHA256:"));
        assertFalse(ok, ok.contains(MinaServer.PASSWORD));

        Files.writeString(pw, "wrong\n");
        String rejected = run("tunnel:test --host 127.0.0.1 --port " + server.port() + " --user " + MinaServer.USER + " --password-file " + pw);
        assertTrue(rejected, rejected.startsWith("AUTH_REJECTED: "));
        String refused = run("tunnel:test --host 127.0.0.1 --port " + Net.freePort() + " --user x --password-file " + pw);
        assertTrue(refused, refused.startsWith("REFUSED: "));

        create("named", tunnel("named", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L " + Net.freePort() + ":localhost:1"));
        awaitState("named", TunnelState.UP);
        String byName = run("tunnel:test named");
        assertTrue(byName, byName.startsWith("OK: connection tested successfully; the server's key SHA256:"));
        Files.delete(pw);
    }

    @Test
    public void createMakesATunnelFromATemplateThatComesUp() throws Exception {
        String templates = run("tunnel:templates");
        assertTrue(templates, templates.lines().anyMatch(l -> l.startsWith("ldap ") && l.contains("L 1389:<dc>:389") && l.contains("--values dc=")));
        Path pw = Files.createTempFile("pw", ".txt");
        Files.writeString(pw, MinaServer.PASSWORD + "\n");
        String created = run("tunnel:create --template ldap --host 127.0.0.1 --port " + server.port() + " --user " + MinaServer.USER
                + " --password-file " + pw + " --values dc=127.0.0.1 fromshell");
        created("fromshell");
        assertTrue(created, created.startsWith("tunnel \"fromshell\" created (io.sshtunnel.tunnel~fromshell):"));
        assertTrue(created, created.contains("service=ldap"));
        TunnelStatus up = awaitState("fromshell", TunnelState.UP);
        assertEquals("ldap", up.mappings().get(0).service());

        String again = fails("tunnel:create --template ldap --host 127.0.0.1 --user u --password-file " + pw + " --values dc=x fromshell");
        assertTrue(again, again.contains("already a tunnel \"fromshell\""));
        String missing = fails("tunnel:create --template ldap --host 127.0.0.1 --user u --password-file " + pw + " other");
        assertTrue(missing, missing.contains("needs Domain controller"));
        Files.delete(pw);
    }

    /** Lets the test support delete a configuration the command made. */
    private void created(String name) throws Exception {
        org.osgi.service.cm.Configuration[] c = configAdmin.listConfigurations("(name=" + name + ")");
        assertEquals(1, c.length);
        track(c[0]);
    }
}
