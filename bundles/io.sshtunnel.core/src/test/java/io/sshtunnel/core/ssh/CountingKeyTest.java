package io.sshtunnel.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** A mapping's counter is found by the address its listener reports, whatever form the JVM gives it. */
class CountingKeyTest {

    @Test
    void aGatewayListenerIsOneKeyWhetherTheJvmReportsItAsIpv4OrIpv6AnyAddress() throws Exception {
        assertEquals("*:1712", Counting.key("0.0.0.0", 1712));
        assertEquals("*:1712", Counting.key("::", 1712));
        assertEquals("*:1712", Counting.key(InetAddress.getByName("0:0:0:0:0:0:0:0"), 1712));
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("0.0.0.0", 0));
            InetSocketAddress reported = (InetSocketAddress) s.getLocalSocketAddress();
            assertEquals(Counting.key("0.0.0.0", reported.getPort()), Counting.key(reported.getAddress(), reported.getPort()));
        }
    }

    @Test
    void loopbackAndAnyAddressStayApart() {
        assertEquals("127.0.0.1:1389", Counting.key("127.0.0.1", 1389));
        assertNotEquals(Counting.key("127.0.0.1", 1389), Counting.key("0.0.0.0", 1389));
    }
}
