package io.sshtunnel.itest;

import static org.junit.Assert.assertArrayEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** Socket helpers for the tests. */
public final class Net {
    private Net() {
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /**
     * A free port below the ephemeral range (Linux: 32768 and up). Under heavy traffic, short-lived
     * client sockets (and their TIME_WAIT) occupy ephemeral port numbers for a minute, and a
     * listener asked for on one of them must wait: tests that churn connections use these instead.
     */
    public static int freeStablePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 1000; i++) {
            int p = 20000 + random.nextInt(12000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    /** Connects to host:port, sends random bytes and asserts that the same bytes come back. */
    public static void assertEchoes(String host, int port, int size) throws IOException {
        assertEchoes(new InetSocketAddress(host, port), size);
    }

    /** Connects to the address as given (as a consumer of a service would), sends random bytes and asserts that they come back. */
    public static void assertEchoes(InetSocketAddress address, int size) throws IOException {
        byte[] sent = new byte[size];
        ThreadLocalRandom.current().nextBytes(sent);
        String host = address.getHostString();
        int port = address.getPort();
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(sent);
            out.flush();
            byte[] got = new byte[size];
            new DataInputStream(s.getInputStream()).readFully(got);
            assertArrayEquals("bytes through " + host + ":" + port, sent, got);
        }
    }

    /** Whether 16 bytes sent to 127.0.0.1:port come back unchanged now: for waiting until a tunnel carries bytes. */
    public static boolean echoes(int port) {
        try {
            assertEchoes("127.0.0.1", port, 16);
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on host:port now. */
    public static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
