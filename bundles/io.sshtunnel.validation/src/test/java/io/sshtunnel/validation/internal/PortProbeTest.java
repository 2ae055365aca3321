package io.sshtunnel.validation.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** The real probe: it tries to bind, and lets the port go at once. */
class PortProbeTest {
    private final PortProbe probe = PortProbe.bySocket();

    @Test
    void aPortAnotherSocketListensOnIsNotFreeAndIsFreeAgainWhenItCloses() throws IOException {
        int port;
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = other.getLocalPort();
            assertFalse(probe.isFree("127.0.0.1", port), "loopback, where the other socket listens");
            assertFalse(probe.isFree("localhost", port), "the same address by name");
            assertFalse(probe.isFree("0.0.0.0", port), "every interface includes loopback");
        }
        assertTrue(probe.isFree("127.0.0.1", port), "after the other socket closed");
        assertTrue(probe.isFree("0.0.0.0", port));
    }

    @Test
    void probingLetsThePortGoAtOnce() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertTrue(probe.isFree("127.0.0.1", port));
        assertTrue(probe.isFree("127.0.0.1", port), "the first probe did not keep the port");
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertFalse(probe.isFree("127.0.0.1", port));
        }
    }
}
