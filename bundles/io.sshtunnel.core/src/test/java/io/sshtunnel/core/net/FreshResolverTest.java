package io.sshtunnel.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.hosts.HostsFileParser;

class FreshResolverTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A resolver whose DNS is a port on loopback nobody answers: only the hosts file and literals resolve. */
    private FreshResolver resolver(Path hosts) throws Exception {
        SimpleResolver nobody = new SimpleResolver(InetAddress.getLoopbackAddress());
        nobody.setPort(9); // discard: nothing answers there
        nobody.setTimeout(Duration.ofMillis(300));
        return new FreshResolver(new HostsFileParser(hosts), nobody);
    }

    @Test
    void aNameThatMovesInTheHostsFileIsFollowedAtTheNextLookup() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 dyn.customer.test\n");
        FreshResolver r = resolver(hosts);
        assertEquals(List.of(InetAddress.getByName("127.0.0.2")), r.resolve("dyn.customer.test", TIMEOUT));
        Files.writeString(hosts, "127.0.0.3 dyn.customer.test\n");
        Files.setLastModifiedTime(hosts, FileTime.from(Instant.now().plusSeconds(1))); // a change the parser must see
        assertEquals(List.of(InetAddress.getByName("127.0.0.3")), r.resolve("dyn.customer.test", TIMEOUT),
                "no cache stands between the file and the next attempt");
    }

    @Test
    void bothFamiliesOfANameAreTried() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 both.test\n::1 both.test\n");
        assertEquals(List.of(InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.2")),
                resolver(hosts).resolve("both.test", TIMEOUT));
    }

    @Test
    void literalAddressesAreTakenAsTheyAre() throws Exception {
        FreshResolver r = resolver(Files.writeString(dir.resolve("hosts"), ""));
        assertEquals(List.of(InetAddress.getByName("192.0.2.7")), r.resolve("192.0.2.7", TIMEOUT));
        assertEquals(List.of(InetAddress.getByName("2001:db8::7")), r.resolve("2001:db8::7", TIMEOUT));
        assertEquals(List.of(InetAddress.getByName("2001:db8::7")), r.resolve("[2001:db8::7]", TIMEOUT));
        assertEquals("192.0.2.7", r.resolve("192.0.2.7", TIMEOUT).get(0).getHostAddress());
    }

    @Test
    void theAddressesCarryNoNameForTheJvmToLookUpAgain() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 dyn.customer.test\n");
        InetAddress a = resolver(hosts).resolve("dyn.customer.test", TIMEOUT).get(0);
        assertEquals("127.0.0.2", new java.net.InetSocketAddress(a, 22).getHostString());
    }

    @Test
    void aNameNobodyKnowsIsUnknown() throws Exception {
        FreshResolver r = resolver(Files.writeString(dir.resolve("hosts"), ""));
        assertThrows(UnknownHostException.class, () -> r.resolve("no-such-host.invalid", TIMEOUT));
    }
}
