package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.PRIVATE_KEY_PATH;

import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/** A test against a real OpenSSH sshd started for it, with an echo server as the target of the mappings. */
public abstract class OpenSshTestSupport extends TunnelTestSupport {
    protected OpenSsh sshd;
    protected EchoServer echo;

    @Configuration
    public Option[] config() {
        return TestOptions.container();
    }

    /** Starts sshd (with extra sshd_config lines, or {@code null}) and the echo server. */
    protected void startServers(String extraConfig) throws Exception {
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        sshd = OpenSsh.start(Path.of(System.getProperty("itest.work", "target/itest-work"), "openssh-" + System.nanoTime()),
                extraConfig);
        echo = new EchoServer();
    }

    @After
    public void stopServers() throws Exception {
        if (echo != null) {
            echo.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    /** A tunnel that logs in with the generated ed25519 key as the user running the tests. */
    protected Hashtable<String, Object> keyTunnel(String name, int port, String... mappings) {
        Hashtable<String, Object> p = tunnel(name, port, System.getProperty("user.name"), null, mappings);
        p.put(PRIVATE_KEY_PATH, sshd.clientKey().toString());
        return p;
    }
}
