package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.Test;

/**
 * A customer's SSH server behind a router with a dynamic address and a DynDNS name: the name
 * moves, the old address stops answering, and the tunnel must follow at its next attempt, as
 * {@code autossh} and {@code ssh} do, not after the JVM's 30 s cache of the name. The name lives
 * in a hosts file the test controls (the framework property {@code io.sshtunnel.hosts.file});
 * the "router" is a relay on 127.0.0.2 and then on 127.0.0.3, in front of one real OpenSSH
 * server with one host key.
 */
public class MovingNameIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** The seed's promise: a broken connection is rebuilt within 20 s. */
    private static final Duration PROMISE = Duration.ofSeconds(20);

    @Test
    public void aServerWhoseNameMovesIsReachedAtTheNextAttempt() throws Exception {
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        Path work = Path.of(System.getProperty("itest.work", "target/itest-work"), "moving-" + System.nanoTime()).toAbsolutePath();
        // -Ditest.hosts.file puts it where an A/B run can point the JVM's own lookup (jdk.net.hosts.file)
        Path hosts = Path.of(System.getProperty("itest.hosts.file", Files.createDirectories(work).resolve("hosts").toString()));
        Files.writeString(hosts, "127.0.0.2 dyn.customer.test\n");
        int sshPort = Net.freePort();
        int local = Net.freePort();
        try (OpenSsh sshd = OpenSsh.start(work.resolve("sshd"), null);
                EchoServer echo = new EchoServer();
                FreezableProxy before = new FreezableProxy(new InetSocketAddress("127.0.0.2", sshPort), sshd.port());
                FreezableProxy after = new FreezableProxy(new InetSocketAddress("127.0.0.3", sshPort), sshd.port());
                Assembly felix = new Assembly(work, Net.freePort(), "-Dio.sshtunnel.hosts.file=" + hosts)) {
            felix.start();
            Await.until(() -> "the console (see " + felix.log() + ")", START,
                    () -> felix.consolePassword() != null && felix.http("/system/console/bundles") == 200);
            felix.drop("dyn", "name = dyn", "server.host = dyn.customer.test", "server.port = " + sshPort,
                    "username = " + System.getProperty("user.name"), "private.key.path = " + sshd.clientKey(),
                    "reconnect.max.seconds = 5", "mappings = L " + local + ":127.0.0.1:" + echo.port());
            Await.until(() -> "bytes through the tunnel to dyn.customer.test (see " + felix.log() + ")", START,
                    () -> Net.echoes(local));
            long mark = felix.logText().lines().count();

            // the router gets a new address: the name points there, nothing answers at the old one any more
            Files.writeString(hosts, "127.0.0.3 dyn.customer.test\n");
            before.close();
            long moved = System.nanoTime();
            Await.until(() -> "bytes through the tunnel again, at the name's new address (see " + felix.log() + ")", PROMISE,
                    () -> Net.echoes(local));
            long seconds = (System.nanoTime() - moved) / 1_000_000_000L;

            List<String> since = felix.logText().lines().skip(mark).collect(Collectors.toList());
            List<String> refused = since.stream().filter(l -> l.contains("refused")).collect(Collectors.toList());
            assertEquals("no attempt went to the old address after the move (" + seconds + " s):\n" + String.join("\n", since),
                    List.of(), refused);
        }
    }
}
