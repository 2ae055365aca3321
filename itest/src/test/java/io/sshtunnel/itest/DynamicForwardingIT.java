package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.MAPPING_KIND;
import static io.sshtunnel.api.TunnelConstants.MAPPING_TARGET_HOST;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * The {@code D} kind against the real OpenSSH server: curl, as SOCKS 5 (names resolved by the
 * server or here), 4a and 4, reaches an HTTP server on loopback through the SSH connection; a port
 * nobody listens on gets SOCKS's "connection refused", and the mapping stays up and counts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DynamicForwardingIT extends OpenSshTestSupport {
    private ServerSocket http;
    private Thread httpThread;

    @Before
    public void startServers() throws Exception {
        startServers(null);
        http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        httpThread = new Thread(this::serveHttp, "itest-http");
        httpThread.setDaemon(true);
        httpThread.start();
    }

    @After
    public void stopHttp() throws Exception {
        if (http != null) {
            http.close();
        }
        if (httpThread != null) {
            httpThread.join(5000);
        }
    }

    /** A minimal HTTP server: every request gets "hello from PATH"; it ends when its socket is closed. */
    private void serveHttp() {
        for (int served = 0; served < 10_000 && !http.isClosed(); served++) {
            try (Socket s = http.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                for (int i = 0; i < 8192; i++) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                    if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                String first = head.toString(StandardCharsets.US_ASCII).split("\r\n", 2)[0];
                String path = first.split(" ").length > 1 ? first.split(" ")[1] : "?";
                byte[] body = ("hello from " + path).getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server closing, or a client gone: the next accept decides
            }
        }
    }

    /** curl through the SOCKS port: its exit code and what it printed. */
    private static String[] curl(String mode, int socksPort, String url) throws Exception {
        Requirements.require(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, "curl"))), "curl is not installed (CI installs it)");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", mode, "127.0.0.1:" + socksPort, url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not end: " + cmd);
        }
        return new String[] { String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8) };
    }

    /** A SOCKS 5 CONNECT by hand: the reply code the server gave. */
    private static int socks5Reply(int socksPort, String host, int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), socksPort)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(new byte[] { 5, 1, 0 });
            byte[] choice = in.readNBytes(2);
            assertEquals("no authentication chosen", 0, choice[1]);
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write(new byte[] { 5, 1, 0, 3, (byte) name.length });
            req.write(name);
            req.write(new byte[] { (byte) (port >> 8), (byte) port });
            // split in two writes: the server must put a request together from what arrives
            byte[] r = req.toByteArray();
            out.write(r, 0, 3);
            out.flush();
            out.write(r, 3, r.length - 3);
            out.flush();
            byte[] reply = in.readNBytes(10);
            assertEquals(10, reply.length);
            return reply[1];
        }
    }

    @Test
    public void socksClientsReachTargetsThroughTheSshServerAndARefusalIsTheirs() throws Exception {
        int d = Net.freePort();
        create("socks", keyTunnel("socks", sshd.port(), "D " + d + " # SOCKS"));
        awaitState("socks", TunnelState.UP);
        int web = http.getLocalPort();

        for (String mode : List.of("--socks5-hostname", "--socks5", "--socks4a", "--socks4")) {
            String[] r = curl(mode, d, "http://localhost:" + web + "/" + mode.substring(2));
            assertEquals(mode + ": " + r[1], "0", r[0]);
            assertEquals("hello from /" + mode.substring(2), r[1]);
        }

        // a port nobody listens on: SOCKS 5 "connection refused" (5), and curl fails without hanging
        int closed = Net.freePort();
        assertEquals(5, socks5Reply(d, "127.0.0.1", closed));
        String[] refused = curl("--socks5-hostname", d, "http://127.0.0.1:" + closed + "/");
        assertTrue(refused[1], !"0".equals(refused[0]));

        // the mapping stays up and carries on
        String[] again = curl("--socks5-hostname", d, "http://127.0.0.1:" + web + "/again");
        assertEquals(again[1], "hello from /again", again[1]);
        TunnelStatus s = status("socks").orElseThrow();
        assertEquals(TunnelState.UP, s.state());
        MappingStatus m = s.mappings().get(0);
        assertEquals(MappingState.ACTIVE, m.state());
        MappingStatus counted = Await.until("the SOCKS connections counted", TIMEOUT, () -> {
            MappingStatus now = status("socks").orElseThrow().mappings().get(0);
            return now.counters().connections() >= 7 && now.counters().failedConnections() >= 2 ? now : null;
        });
        assertTrue(counted.counters().bytesFromTarget() > 0);

        // the endpoint service: where to connect, without a target of its own
        List<ServiceReference<TunnelEndpoint>> refs = Await.until("the SOCKS endpoint", TIMEOUT,
                () -> endpoints("socks").isEmpty() ? null : endpoints("socks"));
        assertEquals("D", refs.get(0).getProperty(MAPPING_KIND));
        assertNull(refs.get(0).getProperty(MAPPING_TARGET_HOST));
        TunnelEndpoint e = context.getService(refs.get(0));
        try {
            assertEquals(d, e.address().getPort());
        } finally {
            context.ungetService(refs.get(0));
        }
    }
}
