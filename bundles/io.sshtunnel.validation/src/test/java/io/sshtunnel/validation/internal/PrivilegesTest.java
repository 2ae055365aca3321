package io.sshtunnel.validation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading /proc: the effective capabilities and the first unprivileged port. */
class PrivilegesTest {
    @TempDir
    Path dir;

    private Path status(String capEff) throws IOException {
        return Files.writeString(dir.resolve("status"), "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t1000\t1000\t1000\n"
                + "CapInh:\t0000000000000000\nCapPrm:\t0000000000000400\n" + capEff
                + "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n");
    }

    @ParameterizedTest(name = "[{index}] CapEff {0} -> {1}")
    @CsvSource({
            "0000000000000400, true",   // only CAP_NET_BIND_SERVICE (setcap cap_net_bind_service+ep)
            "000001ffffffffff, true",   // root: every capability
            "000000000000fc00, true",
            "0000000000000000, false",  // an ordinary user
            "00000000000003ff, false",  // bits 0-9, not 10
            "0000000000000800, false",  // bit 11 (CAP_NET_BROADCAST) only
            "ffffffffffffffff, true",   // parses as unsigned
            "zz, false",                // not hexadecimal: assume the ordinary case
            "'', false" })
    void capabilityBit10MeansMayBindPrivilegedPorts(String capEff, boolean expected) throws IOException {
        assertEquals(expected, Privileges.hasNetBindCapability(status("CapEff:\t" + capEff + "\n")));
    }

    @Test
    void onlyTheEffectiveSetCounts() throws IOException {
        // CapPrm has bit 10, but it is not effective
        assertEquals(false, Privileges.hasNetBindCapability(status("CapEff:\t0000000000000000\n")));
        assertEquals(false, Privileges.hasNetBindCapability(status("")), "no CapEff line at all");
    }

    @Test
    void aMissingStatusFileMeansNoCapability() {
        assertEquals(false, Privileges.hasNetBindCapability(dir.resolve("no-such-status")));
        assertEquals(false, Privileges.hasNetBindCapability(dir), "a directory");
    }

    static Stream<Arguments> sysctlContents() {
        return Stream.of(
                arguments("1024\n", 1024),
                arguments("0\n", 0),             // e.g. in many containers: every port is unprivileged
                arguments("80", 80),
                arguments("  443  \n", 443),
                arguments("", 1024),
                arguments("garbage\n", 1024),
                arguments("99999999999\n", 1024));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("sysctlContents")
    void theFirstUnprivilegedPortIsReadFromSysctl(String content, int expected) throws IOException {
        Path sysctl = Files.writeString(dir.resolve("ip_unprivileged_port_start"), content);
        assertEquals(expected, Privileges.unprivilegedPortStart(sysctl));
    }

    @Test
    void aMissingSysctlMeans1024() {
        assertEquals(1024, Privileges.unprivilegedPortStart(dir.resolve("no-such-sysctl")));
    }

    @Test
    void everyPortFrom1024UpIsBindableUnlessTheSysctlSaysOtherwise() {
        Privileges p = Privileges.ofThisProcess();
        int start = Privileges.unprivilegedPortStart(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
        assumeTrue(start <= 1024, "this machine starts unprivileged ports at " + start);
        assertEquals(true, p.canBind(1024));
        assertEquals(true, p.canBind(65535));
    }

    /**
     * The truth: the answer for a port below 1024 agrees with what binding it actually does. Tries
     * ports from 1023 down until one is not taken by another program.
     */
    @Test
    void theAnswerForAPrivilegedPortAgreesWithBindingIt() throws IOException {
        Privileges p = Privileges.ofThisProcess();
        for (int port = 1023; port > 900; port--) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertEquals(true, p.canBind(port), "binding port " + port + " succeeded");
                return;
            } catch (BindException e) {
                String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (why.contains("permission denied")) {
                    assertEquals(false, p.canBind(port), "binding port " + port + " was refused: " + e.getMessage());
                    return;
                }
                // taken by another program: try the next one
            }
        }
        assumeTrue(false, "every port from 901 to 1023 is taken");
    }
}
