package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import static io.sshtunnel.api.FindingCodes.BOTH_CREDENTIALS;
import static io.sshtunnel.api.FindingCodes.DUPLICATE_MAPPING;
import static io.sshtunnel.api.FindingCodes.FINGERPRINT_FORMAT;
import static io.sshtunnel.api.FindingCodes.GATEWAY_EXPOSURE;
import static io.sshtunnel.api.FindingCodes.HOST_SYNTAX;
import static io.sshtunnel.api.FindingCodes.KEY_FILE;
import static io.sshtunnel.api.FindingCodes.LOCAL_PORT_COLLISION;
import static io.sshtunnel.api.FindingCodes.LOCAL_PORT_IN_USE;
import static io.sshtunnel.api.FindingCodes.NO_CREDENTIALS;
import static io.sshtunnel.api.FindingCodes.POLICY_GATEWAY;
import static io.sshtunnel.api.FindingCodes.POLICY_KIND;
import static io.sshtunnel.api.FindingCodes.POLICY_PORT;
import static io.sshtunnel.api.FindingCodes.PORT_RANGE;
import static io.sshtunnel.api.FindingCodes.PRIVILEGED_LOCAL_PORT;
import static io.sshtunnel.api.FindingCodes.PRIVILEGED_REMOTE_PORT;
import static io.sshtunnel.api.FindingCodes.REMOTE_PORT_COLLISION;
import static io.sshtunnel.api.FindingCodes.REQUIRED;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.PortRange;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelSpec;

/** One table per rule of {@link Rules}, asserting what the user reads: severity, code, property, mapping and message. */
class RulesTest {
    static final String SERVER = "ssh.corp.local";
    /** What {@code ssh-keygen -lf} prints: SHA256: and 43 base64 characters without padding. */
    static final String VALID_FINGERPRINT = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, -1 });

    /** An unprivileged process (it may bind ports from 1024 up) on a machine where every port is free. */
    private final Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> true);

    // ---- helpers ---------------------------------------------------------------------------------

    /** A tunnel that passes every property rule, with these mappings. */
    static TunnelSpec.Builder tunnel(String name, String... entries) {
        return TunnelSpec.builder("io.sshtunnel.tunnel~" + name, name).server(SERVER, 22).username("tunnel").passwordSet(true)
                .mappings(Stream.of(entries).map(PortMapping::parse).collect(Collectors.toList()));
    }

    private List<Finding> check(TunnelSpec candidate, TunnelSpec... others) {
        return rules.check(candidate, List.of(others), Locale.ENGLISH, List.of(), (id, port) -> false);
    }

    static List<Finding> withCode(List<Finding> findings, String code) {
        return findings.stream().filter(f -> f.code().equals(code)).collect(Collectors.toList());
    }

    static Finding single(List<Finding> findings, String code) {
        List<Finding> matching = withCode(findings, code);
        assertEquals(1, matching.size(), () -> "expected exactly one " + code + " in " + findings);
        return matching.get(0);
    }

    static void assertNoErrors(List<Finding> findings) {
        assertTrue(findings.stream().noneMatch(Finding::isError), () -> "expected no ERROR in " + findings);
    }

    static void assertFinding(Finding f, Severity severity, String code, String property, int mappingIndex, String... fragments) {
        assertAll(f.toString(),
                () -> assertEquals(severity, f.severity(), "severity"),
                () -> assertEquals(code, f.code(), "code"),
                () -> assertEquals(property, f.property(), "property"),
                () -> assertEquals(mappingIndex, f.mappingIndex(), "mappingIndex"),
                () -> {
                    for (String fragment : fragments) {
                        assertTrue(f.message().contains(fragment), () -> "message \"" + f.message() + "\" lacks \"" + fragment + "\"");
                    }
                });
    }

    // ---- the seed's examples -----------------------------------------------------------------------

    static Stream<Arguments> seedExamples() {
        return Stream.of(
                arguments("L 1389:dc1.corp.local:389", List.of()),
                arguments("L 1433:sql.corp.local:1433", List.of()),
                arguments("L *:1712:metadir.corp.local:1712", List.of(GATEWAY_EXPOSURE)),
                arguments("R *:9100:localhost:9100", List.of(GATEWAY_EXPOSURE)),
                arguments("R *:9999:localhost:9999", List.of(GATEWAY_EXPOSURE)),
                arguments("R 2222:localhost:22", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("seedExamples")
    void seedExamplesAreValid(String entry, List<String> expectedCodes) {
        List<Finding> findings = check(tunnel("seed", entry).build());
        assertNoErrors(findings);
        assertEquals(expectedCodes, findings.stream().map(Finding::code).collect(Collectors.toList()), findings::toString);
    }

    @Test
    void allSeedExamplesTogetherInOneTunnelAreValid() {
        TunnelSpec all = tunnel("seed", seedExamples().map(a -> (String) a.get()[0]).toArray(String[]::new)).build();
        List<Finding> findings = check(all);
        assertNoErrors(findings);
        assertEquals(List.of(2, 3, 4), findings.stream().map(Finding::mappingIndex).collect(Collectors.toList()),
                "a NOTICE for each of the three gateways, nothing else: " + findings);
    }

    @Test
    void seedExamplesSpreadOverTunnelsOnTheSameServerAreValid() {
        TunnelSpec ad = tunnel("ad", "L 1389:dc1.corp.local:389").build();
        TunnelSpec sql = tunnel("sql", "L 1433:sql.corp.local:1433").build();
        TunnelSpec meta = tunnel("metadir", "L *:1712:metadir.corp.local:1712").build();
        TunnelSpec prom = tunnel("prometheus", "R *:9100:localhost:9100", "R *:9999:localhost:9999").build();
        TunnelSpec ssh = tunnel("ssh", "R 2222:localhost:22").build();
        List<TunnelSpec> all = List.of(ad, sql, meta, prom, ssh);
        for (TunnelSpec t : all) {
            assertNoErrors(rules.check(t, all, Locale.ENGLISH, List.of(), (id, port) -> false));
        }
    }

    // ---- REQUIRED --------------------------------------------------------------------------------

    static Stream<Arguments> missingRequired() {
        return Stream.of(
                arguments("server.host null", (UnaryOperator<TunnelSpec.Builder>) b -> b.server(null, 22), "server.host"),
                arguments("server.host empty", (UnaryOperator<TunnelSpec.Builder>) b -> b.server("", 22), "server.host"),
                arguments("server.host blank", (UnaryOperator<TunnelSpec.Builder>) b -> b.server(" \t ", 22), "server.host"),
                arguments("username null", (UnaryOperator<TunnelSpec.Builder>) b -> b.username(null), "username"),
                arguments("username blank", (UnaryOperator<TunnelSpec.Builder>) b -> b.username("  "), "username"),
                arguments("mappings empty", (UnaryOperator<TunnelSpec.Builder>) b -> b.mappings(List.of()), "mappings"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("missingRequired")
    void requiredPropertiesMustBeSet(String title, UnaryOperator<TunnelSpec.Builder> change, String property) {
        List<Finding> findings = check(change.apply(tunnel("t", "L 1389:dc1:389")).build());
        Finding f = single(findings, REQUIRED);
        assertFinding(f, Severity.ERROR, REQUIRED, property, Finding.NO_MAPPING);
        assertEquals(property.equals("mappings")
                ? "mappings has no usable entry: add at least one, such as \"L 1389:dc1.corp.local:389 # LDAP\" or \"R 2222:localhost:22\" (a jump host that another tunnel names in via needs none)"
                : property + " is not set: it is required, give a value", f.message());
        assertEquals(1, findings.size(), findings::toString);
    }

    // ---- FINGERPRINT_MISSING ---------------------------------------------------------------------

    @Test
    void aRequiredFingerprintMustBePinned() {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").fingerprintRequired(true).build());
        Finding f = single(findings, io.sshtunnel.api.FindingCodes.FINGERPRINT_MISSING);
        assertFinding(f, Severity.ERROR, io.sshtunnel.api.FindingCodes.FINGERPRINT_MISSING, "fingerprint", Finding.NO_MAPPING,
                "fingerprint.required", "ssh-keygen -lf");
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").fingerprintRequired(true).fingerprint(VALID_FINGERPRINT).build()));
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").build()), "trust on first use is allowed unless required");
    }

    // ---- ADMIN_PORT_EXPOSED ----------------------------------------------------------------------

    static final AdminPorts ADMIN = AdminPorts.of(Map.of("gosh.args", "--nointeractive -c \"telnetd --ip=127.0.0.1 --port=6666 start\"",
            "org.osgi.service.http.port", "8080")::get);

    static Stream<Arguments> adminPortsHandedToTheServer() {
        return Stream.of(
                arguments("R 9000:localhost:6666", Severity.ERROR, "the Gogo telnet shell"),
                arguments("R *:9000:127.0.0.1:6666", Severity.ERROR, "the Gogo telnet shell"),
                arguments("R 9000:[::1]:6666", Severity.ERROR, "the Gogo telnet shell"),
                arguments("R 18080:localhost:8080", Severity.WARNING, "the Web Console (HTTP)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("adminPortsHandedToTheServer")
    void anRMappingToAnAdminPortOfThisContainerIsFlagged(String entry, Severity severity, String what) {
        Rules withAdmin = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> true, ADMIN);
        List<Finding> findings = withAdmin.check(tunnel("t", entry).build(), List.of(), Locale.ENGLISH, List.of(), (id, p) -> false);
        Finding f = single(findings, io.sshtunnel.api.FindingCodes.ADMIN_PORT_EXPOSED);
        assertFinding(f, severity, io.sshtunnel.api.FindingCodes.ADMIN_PORT_EXPOSED, "mappings", 0, what, "SSH server's side");
    }

    @ParameterizedTest
    @ValueSource(strings = { "L 16666:localhost:6666", "R 9000:printer.corp.local:6666", "R 9000:localhost:6667" })
    void otherMappingsNearAdminPortsAreNotFlagged(String entry) {
        Rules withAdmin = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> true, ADMIN);
        List<Finding> findings = withAdmin.check(tunnel("t", entry).build(), List.of(), Locale.ENGLISH, List.of(), (id, p) -> false);
        assertTrue(findings.stream().noneMatch(f -> f.code().equals(io.sshtunnel.api.FindingCodes.ADMIN_PORT_EXPOSED)), findings::toString);
    }

    @Test
    void withoutTheTelnetShellItsUsualPortIsNobodysBusiness() {
        AdminPorts none = AdminPorts.of(Map.of("gosh.args", "--nointeractive")::get);
        assertNull(none.at(6666));
        assertNull(none.at(2019));
    }

    // ---- HOST_SYNTAX -----------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = { "ssh.corp.local", "SSH-01.corp.local", "my_host", "localhost", "10.0.0.5", "ssh", "[::1]", "::1",
            "[2001:db8::22]", "2001:db8::22", "[fe80::1%2]", "[fe80::1%eth0]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8]",
            "[2001:DB8:0:0:0:0:0:22]", "[1::]" })
    void validServerHostsAreAccepted(String host) {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").server(host, 22).build());
        assertEquals(List.of(), findings);
    }

    static Stream<Arguments> invalidServerHosts() {
        return Stream.of(
                arguments("ssh corp.local", "\"ssh corp.local\""),
                arguments(" ssh.corp.local", "\" ssh.corp.local\""),
                arguments("ssh.corp.local\n", "\"ssh.corp.local\\u000a\""),
                arguments("ssh\u0000host", "\"ssh\\u0000host\""),
                arguments("ssh.corp.local:22", "\"ssh.corp.local:22\""),
                arguments("10.0.0.5:22", "\"10.0.0.5:22\""),
                arguments(":", "\":\""),
                arguments("dead:beef", "\"dead:beef\""),
                arguments("[10.0.0.5]", "\"[10.0.0.5]\""),
                arguments("[ssh.corp.local]", "\"[ssh.corp.local]\""),
                arguments(":::", "\":::\""),
                arguments("[1:2:3:4:5:6:7:8:9]", "\"[1:2:3:4:5:6:7:8:9]\""),
                arguments("[1::2::3]", "\"[1::2::3]\""),
                arguments("[12345::1]", "\"[12345::1]\""),
                arguments("[::ffff:256.0.0.1]", "\"[::ffff:256.0.0.1]\""),
                arguments("[fe80::1%]", "\"[fe80::1%]\""),
                arguments("[]", "\"[]\""),
                arguments("-ssh", "\"-ssh\""),
                arguments("ssh@corp.local", "\"ssh@corp.local\""),
                arguments("b\u00fccher.example", "\"b\u00fccher.example\""),
                arguments("a".repeat(254), "\"" + "a".repeat(200) + "... (254 characters)\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidServerHosts")
    void invalidServerHostsAreErrorsQuotingThePrintableValue(String host, String quoted) {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").server(host, 22).build());
        Finding f = single(findings, HOST_SYNTAX);
        assertFinding(f, Severity.ERROR, HOST_SYNTAX, "server.host", Finding.NO_MAPPING,
                "server.host " + quoted + " is not a host name or IP address",
                "use letters, digits, dots and dashes, or an IPv6 address in brackets");
        assertTrue(f.message().chars().noneMatch(Character::isISOControl), "control characters are escaped: " + f.message());
    }

    // ---- PORT_RANGE ------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(ints = { 0, -1, -22, 65536, 70000, Integer.MIN_VALUE, Integer.MAX_VALUE })
    void serverPortOutsideTheRangeIsAnError(int port) {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").server(SERVER, port).build());
        Finding f = single(findings, PORT_RANGE);
        assertFinding(f, Severity.ERROR, PORT_RANGE, "server.port", Finding.NO_MAPPING);
        assertEquals("server.port " + port + " is outside 1-65535: give a number from 1 to 65535", f.message());
    }

    // ---- RANGE -------------------------------------------------------------------------------------

    static Stream<Arguments> intervalsOutOfRange() {
        return Stream.of(
                arguments("keepalive.seconds", 0, 3600), arguments("keepalive.seconds", 3601, 3600),
                arguments("keepalive.seconds", -5, 3600), arguments("reconnect.max.seconds", 0, 3600),
                arguments("reconnect.max.seconds", 86400, 3600), arguments("connect.timeout.seconds", 0, 600),
                arguments("connect.timeout.seconds", 601, 600), arguments("connect.timeout.seconds", Integer.MAX_VALUE, 600));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("intervalsOutOfRange")
    void intervalsOutsideTheirRangeAreErrors(String property, int value, int max) {
        List<Finding> findings = check(interval(property, value));
        Finding f = single(findings, io.sshtunnel.api.FindingCodes.RANGE);
        assertFinding(f, Severity.ERROR, io.sshtunnel.api.FindingCodes.RANGE, property, Finding.NO_MAPPING);
        assertEquals(property + " " + value + " is outside 1-" + max + ": give a number of seconds from 1 to " + max, f.message());
        assertEquals(1, findings.size(), findings::toString);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({ "keepalive.seconds,1", "keepalive.seconds,3600", "reconnect.max.seconds,1",
            "reconnect.max.seconds,3600", "connect.timeout.seconds,1", "connect.timeout.seconds,600" })
    void intervalsAtTheirBoundsAreAccepted(String property, int value) {
        assertEquals(List.of(), check(interval(property, value)));
    }

    private static TunnelSpec interval(String property, int value) {
        TunnelSpec.Builder b = tunnel("t", "L 1389:dc1:389");
        switch (property) {
        case "keepalive.seconds":
            return b.keepaliveSeconds(value).build();
        case "reconnect.max.seconds":
            return b.reconnectMaxSeconds(value).build();
        default:
            return b.connectTimeoutSeconds(value).build();
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(ints = { 1, 22, 8822, 65535 })
    void serverPortsInsideTheRangeAreAccepted(int port) {
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").server(SERVER, port).build()));
    }

    // ---- FINGERPRINT_FORMAT ----------------------------------------------------------------------

    @Test
    void aWellFormedFingerprintOrNoneIsAccepted() {
        assertEquals(50, VALID_FINGERPRINT.length());
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").fingerprint(VALID_FINGERPRINT).build()));
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").fingerprint(null).build()));
    }

    static Stream<String> malformedFingerprints() {
        String body = VALID_FINGERPRINT.substring(7);
        return Stream.of(
                "SHA256:abc",
                body,
                "sha256:" + body,
                "MD5:" + body,
                "SHA256:" + body.substring(1),
                VALID_FINGERPRINT + "=",
                VALID_FINGERPRINT + "A",
                "SHA256:" + body.substring(1) + "-",
                " " + VALID_FINGERPRINT,
                "256 " + VALID_FINGERPRINT + " root@host (ED25519)",
                "16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("malformedFingerprints")
    void malformedFingerprintsAreErrors(String fingerprint) {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").fingerprint(fingerprint).build());
        Finding f = single(findings, FINGERPRINT_FORMAT);
        assertFinding(f, Severity.ERROR, FINGERPRINT_FORMAT, "fingerprint", Finding.NO_MAPPING,
                "fingerprint \"" + fingerprint + "\" is not a SHA256 fingerprint",
                "as \"ssh-keygen -lf\" prints it", "SHA256: followed by 43 characters");
    }

    // ---- credentials: NO_CREDENTIALS, BOTH_CREDENTIALS, KEY_FILE ---------------------------------

    @Test
    void neitherPasswordNorKeyIsAnError() {
        for (String keyPath : new String[] { null, "", "   " }) {
            List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath(keyPath).build());
            Finding f = single(findings, NO_CREDENTIALS);
            assertFinding(f, Severity.ERROR, NO_CREDENTIALS, "password", Finding.NO_MAPPING);
            assertEquals("neither password nor private.key.path is set: give the SSH user's password or the path of its private key",
                    f.message());
            assertEquals(1, findings.size(), findings::toString);
        }
    }

    @Test
    void aReadableKeyFileAloneIsEnough(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath(key.toString()).build()));
    }

    @Test
    void passwordAndKeyTogetherAreAWarning(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").passwordSet(true).privateKeyPath(key.toString()).build());
        Finding f = single(findings, BOTH_CREDENTIALS);
        assertFinding(f, Severity.WARNING, BOTH_CREDENTIALS, "password", Finding.NO_MAPPING,
                "both password and private.key.path are set", "the key is offered first");
        assertEquals(1, findings.size(), findings::toString);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "rw-r--r--", "rw-r-----", "rw----r--", "rwxrwxrwx" })
    void aKeyFileOthersMayReadIsAWarningAndTheTunnelGoesOn(String mode, @TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath(key.toString()).build());
        Finding f = single(findings, io.sshtunnel.api.FindingCodes.KEY_FILE_PERMISSIONS);
        assertFinding(f, Severity.WARNING, io.sshtunnel.api.FindingCodes.KEY_FILE_PERMISSIONS, "private.key.path", Finding.NO_MAPPING,
                key.toString(), mode, "chmod 600");
        assertNoErrors(findings);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "rw-------", "r--------", "rwx------" })
    void aKeyFileOnlyItsOwnerMayReadIsFine(String mode, @TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath(key.toString()).build()));
    }

    // ---- hostile sizes -----------------------------------------------------------------------------

    static String[] localMappings(int count, int firstPort) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = "L " + (firstPort + i % 60_000) + ":dc1:389";
        }
        return out;
    }

    @Test
    void aHundredMappingsAreAcceptedAndOneMoreIsOneError() {
        assertNoErrors(check(tunnel("t", localMappings(100, 20_000)).build()));
        List<Finding> findings = check(tunnel("t", localMappings(101, 20_000)).build());
        Finding f = single(findings, io.sshtunnel.api.FindingCodes.TOO_MANY_MAPPINGS);
        assertFinding(f, Severity.ERROR, io.sshtunnel.api.FindingCodes.TOO_MANY_MAPPINGS, "mappings", Finding.NO_MAPPING,
                "mappings has 101 entries", "at most 100");
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aHundredThousandMappingsAreRefusedWithOneFindingNotOnePerPair() {
        List<Finding> findings = check(tunnel("t", localMappings(100_000, 2_000)).build());
        assertEquals(List.of(io.sshtunnel.api.FindingCodes.TOO_MANY_MAPPINGS),
                findings.stream().map(Finding::code).collect(Collectors.toList()));
    }

    @Test
    void aMappingThatCollidesWithManyGetsOneFinding() {
        TunnelSpec a = tunnel("a", "L 1389:dc1:389").build();
        TunnelSpec b = tunnel("b", "L *:1389:dc2:389").build();
        TunnelSpec c = tunnel("c", "L 127.0.0.1:1389:dc3:389", "L 1389:dc4:389").build();
        List<Finding> findings = check(c, a, b);
        assertEquals(2, findings.size(), findings::toString);
        assertFinding(findings.get(0), Severity.ERROR, LOCAL_PORT_COLLISION, "mappings", 0, "tunnel \"a\"");
        assertFinding(findings.get(1), Severity.ERROR, LOCAL_PORT_COLLISION, "mappings", 1, "mapping 1 \"L 127.0.0.1:1389:dc3:389\"");
    }

    @Test
    void collisionsAmongManyTunnelsAreFoundThroughAnIndex() {
        List<TunnelSpec> others = new java.util.ArrayList<>();
        for (int t = 0; t < 500; t++) {
            others.add(tunnel("t" + t, localMappings(100, 10_000 + t * 100)).build());
        }
        TunnelSpec candidate = tunnel("new", "L 10050:dc2:389", "L 9999:dc1:389").build();
        List<Finding> findings = rules.check(candidate, others, Locale.ENGLISH, List.of(), (id, port) -> false);
        Finding f = single(findings, LOCAL_PORT_COLLISION);
        assertFinding(f, Severity.ERROR, LOCAL_PORT_COLLISION, "mappings", 0, "tunnel \"t0\"", "mapping 51");
    }

    static Stream<Arguments> unusableKeyFiles() {
        return Stream.of(
                arguments("missing", (UnaryOperator<Path>) dir -> dir.resolve("no-such-key")),
                arguments("a directory", (UnaryOperator<Path>) dir -> dir));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unusableKeyFiles")
    void anUnusableKeyFileIsAnError(String title, UnaryOperator<Path> where, @TempDir Path dir) {
        String path = where.apply(dir).toString();
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath(path).build());
        Finding f = single(findings, KEY_FILE);
        assertFinding(f, Severity.ERROR, KEY_FILE, "private.key.path", Finding.NO_MAPPING,
                "private.key.path \"" + path + "\" does not exist or is not readable", "check its permissions");
        assertEquals(1, findings.size(), "no NO_CREDENTIALS on top: " + findings);
    }

    @Test
    void aKeyPathThatIsNoPathIsAnErrorQuotedPrintably() {
        List<Finding> findings = check(tunnel("t", "L 1389:dc1:389").passwordSet(false).privateKeyPath("/keys/id\u0000rsa").build());
        Finding f = single(findings, KEY_FILE);
        assertFinding(f, Severity.ERROR, KEY_FILE, "private.key.path", Finding.NO_MAPPING, "\"/keys/id\\u0000rsa\"");
    }

    // ---- privileged ports ------------------------------------------------------------------------

    static Stream<Arguments> privilegedLocalPorts() {
        return Stream.of(
                arguments("L 389:dc1.corp.local:389", 389, 1389),
                arguments("L 80:web.corp.local:80", 80, 1080),
                arguments("L 22:git.corp.local:22", 22, 10022),
                arguments("L 1:a:1", 1, 10001),
                arguments("L 1023:a:1023", 1023, 2023),
                arguments("L 127.0.0.1:636:dc1:636", 636, 1636));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("privilegedLocalPorts")
    void aPrivilegedLocalPortIsAnErrorWhenThisProcessCannotBindIt(String entry, int port, int suggestion) {
        Rules unprivileged = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> p >= 1024, (h, p) -> true);
        List<Finding> findings = unprivileged.check(tunnel("t", "L 1433:sql:1433", entry).build(), List.of(), Locale.ENGLISH,
                List.of(), (id, p) -> false);
        Finding f = single(findings, PRIVILEGED_LOCAL_PORT);
        assertFinding(f, Severity.ERROR, PRIVILEGED_LOCAL_PORT, "mappings", 1);
        assertEquals("mapping 2 \"" + PortMapping.parse(entry).format() + "\": local port " + port
                + " is below 1024 and this process may not bind it: use a port of 1024 or above (e.g. " + suggestion
                + "), or give the Java process CAP_NET_BIND_SERVICE", f.message());
        assertEquals(1, findings.size(), findings::toString);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("privilegedLocalPorts")
    void aPrivilegedLocalPortIsAWarningWhenThisProcessCanBindIt(String entry, int port, int suggestion) {
        Rules privileged = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> true, (h, p) -> true);
        List<Finding> findings = privileged.check(tunnel("t", entry).build(), List.of(), Locale.ENGLISH, List.of(), (id, p) -> false);
        Finding f = single(findings, PRIVILEGED_LOCAL_PORT);
        assertFinding(f, Severity.WARNING, PRIVILEGED_LOCAL_PORT, "mappings", 0, "local port " + port + " is below 1024",
                "prefer a port of 1024 or above (e.g. " + suggestion + ")");
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void thePrivilegeIsAskedForTheMappingsOwnPort() {
        // as with net.ipv4.ip_unprivileged_port_start=500
        Rules rules500 = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> p >= 500, (h, p) -> true);
        List<Finding> findings = rules500.check(tunnel("t", "L 389:dc1:389", "L 636:dc1:636").build(), List.of(), Locale.ENGLISH,
                List.of(), (id, p) -> false);
        List<Finding> privileged = withCode(findings, PRIVILEGED_LOCAL_PORT);
        assertEquals(2, privileged.size(), findings::toString);
        assertFinding(privileged.get(0), Severity.ERROR, PRIVILEGED_LOCAL_PORT, "mappings", 0, "local port 389");
        assertFinding(privileged.get(1), Severity.WARNING, PRIVILEGED_LOCAL_PORT, "mappings", 1, "local port 636");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "R 80:localhost:8080", "R *:443:localhost:8443", "R 127.0.0.1:1023:localhost:1023" })
    void aPrivilegedRemotePortIsAWarningWhateverThisProcessMayDo(String entry) {
        int port = PortMapping.parse(entry).bindPort();
        for (boolean canBind : new boolean[] { false, true }) {
            Rules r = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> canBind, (h, p) -> true);
            List<Finding> findings = r.check(tunnel("t", entry).build(), List.of(), Locale.ENGLISH, List.of(), (id, p) -> false);
            Finding f = single(findings, PRIVILEGED_REMOTE_PORT);
            assertFinding(f, Severity.WARNING, PRIVILEGED_REMOTE_PORT, "mappings", 0,
                    "mapping 1 \"" + entry + "\": remote port " + port + " is below 1024",
                    "administrator rights", "prefer a port of 1024 or above");
            assertNoErrors(findings);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "L 1389:dc1.corp.local:389", "L 2222:git.corp.local:22", "L 1024:web:80", "L 10001:a:1",
            "R 2222:localhost:22", "R 8080:localhost:80", "R 1024:localhost:443" })
    void targetPortsBelow1024AreNeverFlagged(String entry) {
        assertEquals(List.of(), check(tunnel("t", entry).build()));
    }

    // ---- GATEWAY_EXPOSURE ------------------------------------------------------------------------

    static Stream<Arguments> gateways() {
        return Stream.of(
                arguments("L *:1712:metadir.corp.local:1712", "port 1712 reaches metadir.corp.local:1712 through the SSH server"),
                arguments("L :8080:web.corp.local:80", "port 8080 reaches web.corp.local:80 through the SSH server"),
                arguments("L 0.0.0.0:8080:web.corp.local:80", "port 8080 reaches web.corp.local:80"),
                arguments("L 192.0.2.10:1389:dc1:389", "port 1389 reaches dc1:389"),
                arguments("L [2001:db8::5]:1389:[2001:db8::10]:389", "port 1389 reaches [2001:db8::10]:389"),
                arguments("R *:9100:localhost:9100", "port 9100 reaches localhost:9100 on this side"),
                arguments("R *:9999:localhost:9999", "port 9999 reaches localhost:9999 on this side"),
                arguments("R 192.0.2.20:2222:localhost:22", "port 2222 reaches localhost:22 on this side"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("gateways")
    void gatewayMappingsAreNoticesThatSayWhoCanReachWhat(String entry, String what) {
        List<Finding> findings = check(tunnel("t", "L 1433:sql:1433", entry).build());
        Finding f = single(findings, GATEWAY_EXPOSURE);
        String formatted = PortMapping.parse(entry).format();
        assertFinding(f, Severity.NOTICE, GATEWAY_EXPOSURE, "mappings", 1,
                "mapping 2 \"" + formatted + "\" is reachable by other hosts", what);
        boolean remote = entry.startsWith("R");
        assertEquals(remote, f.message().contains("GatewayPorts clientspecified"), "the GatewayPorts hint only for R: " + f.message());
        assertEquals(1, findings.size(), findings::toString);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "L 127.0.0.1:1389:dc1:389", "L 127.0.0.2:1389:dc1:389", "L localhost:1389:dc1:389",
            "L [::1]:1389:dc1:389", "R 2222:localhost:22", "R localhost:2222:localhost:22", "R 127.0.0.1:2222:localhost:22" })
    void loopbackMappingsAreNoGateways(String entry) {
        assertEquals(List.of(), check(tunnel("t", entry).build()));
    }

    // ---- collisions: L against L -----------------------------------------------------------------

    /** first, second, the code the second gets (null: none). */
    static Stream<Arguments> localPairs() {
        return Stream.of(
                // one local port cannot map to different remote ports
                arguments("L 1389:dc1.corp.local:389", "L 1389:dc2.corp.local:636", LOCAL_PORT_COLLISION),
                arguments("L 1389:dc1:389", "L 127.0.0.1:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L 127.0.0.1:1389:dc1:389", "L localhost:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L LOCALHOST:1389:dc1:389", "L 127.0.0.1:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L 1389:dc1:389", "L *:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L *:1389:dc1:389", "L 192.0.2.10:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L 0.0.0.0:1389:dc1:389", "L 192.0.2.10:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L [::]:1389:dc1:389", "L 127.0.0.1:1389:dc2:389", LOCAL_PORT_COLLISION),
                arguments("L [::1]:1389:dc1:389", "L [0:0:0:0:0:0:0:0]:1389:dc2:389", LOCAL_PORT_COLLISION),
                // the same mapping twice, whatever the labels and the case of the target
                arguments("L 1389:dc1.corp.local:389", "L 1389:dc1.corp.local:389", DUPLICATE_MAPPING),
                arguments("L 1389:dc1.corp.local:389 # LDAP", "L 1389:DC1.corp.local:389 # directory", DUPLICATE_MAPPING),
                arguments("L *:1712:metadir:1712", "L :1712:metadir:1712", DUPLICATE_MAPPING),
                // several local ports may point to one remote target
                arguments("L 1389:dc1.corp.local:389", "L 1390:dc1.corp.local:389", null),
                arguments("L 1389:dc1.corp.local:389", "L *:3389:dc1.corp.local:389", null),
                // different addresses on this machine do not overlap
                arguments("L 127.0.0.1:1389:dc1:389", "L 192.0.2.10:1389:dc2:389", null),
                arguments("L 192.0.2.10:1389:dc1:389", "L 192.0.2.11:1389:dc2:389", null),
                // L and R never collide: one listens here, the other on the server
                arguments("L 1389:dc1:389", "R 1389:localhost:389", null));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("localPairs")
    void localPairsInTheSameTunnel(String first, String second, String code) {
        assertPairInOneTunnel(first, second, code, "local port");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("localPairs")
    void localPairsAcrossTunnels(String first, String second, String code) {
        assertPairAcrossTunnels(first, second, code, SERVER, 22, "local port");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("localPairs")
    void localPairsAcrossTunnelsOnDifferentServersAreJudgedTheSame(String first, String second, String code) {
        // L ports live on this machine: which SSH server the tunnels use does not matter
        assertPairAcrossTunnels(first, second, code, "other.corp.local", 8822, "local port");
    }

    @Test
    void aLocalCollisionNamesTheOtherTunnelAndItsMapping() {
        TunnelSpec ad = tunnel("ad", "L 1389:dc1.corp.local:389").build();
        TunnelSpec sql = tunnel("sql", "L 1433:sql.corp.local:1433", "L 1389:dc2.corp.local:636").build();
        Finding f = single(check(sql, ad), LOCAL_PORT_COLLISION);
        assertFinding(f, Severity.ERROR, LOCAL_PORT_COLLISION, "mappings", 1);
        assertEquals("mapping 2 \"L 1389:dc2.corp.local:636\": local port 1389 is already used by tunnel \"ad\" "
                + "(mapping 1 \"L 1389:dc1.corp.local:389\"): choose another local port", f.message());
    }

    @Test
    void aCertificateNeedsItsKeyAndAFileThatCanBeRead() {
        Finding noKey = single(check(tunnel("c", "L 1389:dc1:389").certificatePath("/nonexistent/id-cert.pub").build()), REQUIRED);
        assertFinding(noKey, Severity.ERROR, REQUIRED, "private.key.path", Finding.NO_MAPPING);
        assertTrue(noKey.message().contains("certificate.path"), noKey.message());
    }

    @Test
    void aProxyIsAUrlOfHttpOrSocks5AndBelongsToTheFirstTunnelOfAChain() {
        assertNoErrors(check(tunnel("p", "L 1389:dc1:389").proxy("http://proxy.corp.local:3128", null, false).build()));
        assertNoErrors(check(tunnel("p", "L 1389:dc1:389").proxy("socks5://[::1]:1080", "u", true).build()));
        for (String bad : List.of("proxy.corp.local:3128", "https://p:3128", "http://user:pw@p:3128", "http://p", "socks5://p:70000")) {
            Finding f = single(check(tunnel("p", "L 1389:dc1:389").proxy(bad, null, false).build()), io.sshtunnel.api.FindingCodes.PROXY_SYNTAX);
            assertFinding(f, Severity.ERROR, io.sshtunnel.api.FindingCodes.PROXY_SYNTAX, "proxy", Finding.NO_MAPPING);
            assertTrue(f.message().contains("http://host:port or socks5://host:port"), f.message());
        }
        Finding typedIn = single(check(tunnel("p", "L 1389:dc1:389").proxy("http://user:s3cret@p:3128", null, false).build()),
                io.sshtunnel.api.FindingCodes.PROXY_SYNTAX);
        assertTrue(typedIn.message().contains("http://\u2026@p:3128") && !typedIn.message().contains("s3cret"), typedIn.message());
        Finding via = single(check(tunnel("p", "L 1389:dc1:389").via("bastion").proxy("http://p:3128", null, false).build()), io.sshtunnel.api.FindingCodes.PROXY_SYNTAX);
        assertTrue(via.message().contains("set it on tunnel \"bastion\""), via.message());
    }

    @Test
    void aSocksPortIsALocalPortLikeAnyOther() {
        TunnelSpec ad = tunnel("ad", "L 1080:dc1.corp.local:389").build();
        TunnelSpec socks = tunnel("socks", "D 1080 # intranet", "D 1081", "D 1081").build();
        List<Finding> found = check(socks, ad);
        Finding f = single(found, LOCAL_PORT_COLLISION);
        assertEquals("mapping 1 \"D 1080 # intranet\": local port 1080 is already used by tunnel \"ad\" "
                + "(mapping 1 \"L 1080:dc1.corp.local:389\"): choose another local port", f.message());
        assertFinding(single(found, DUPLICATE_MAPPING), Severity.ERROR, DUPLICATE_MAPPING, "mappings", 2);
        // below 1024, and a gateway: as for L, with the SOCKS reach spelled out
        List<Finding> gw = check(tunnel("socks", "D *:1080").build());
        assertEquals("mapping 1 \"D *:1080\" is reachable by other hosts: anyone who can reach this machine on port 1080 can use"
                + " its SOCKS proxy to reach every host and port the SSH server reaches", single(gw, GATEWAY_EXPOSURE).message());
        assertTrue(rules.check(tunnel("socks", "D *:1080").build(), List.of(), Locale.GERMAN, List.of(), (id, port) -> false)
                .stream().anyMatch(g -> g.message().contains("über seinen SOCKS-Proxy")));
        assertFinding(single(check(tunnel("socks", "D 1000").build()), PRIVILEGED_LOCAL_PORT), Severity.ERROR,
                PRIVILEGED_LOCAL_PORT, "mappings", 0);
        assertNoErrors(check(tunnel("socks", "D 1080", "L 1081:dc1:389", "R 1080:localhost:22").build()));
    }

    // ---- collisions: R against R -----------------------------------------------------------------

    static Stream<Arguments> remotePairs() {
        return Stream.of(
                arguments("R 9100:localhost:9100", "R 9100:localhost:9200", REMOTE_PORT_COLLISION),
                arguments("R 9100:localhost:9100", "R *:9100:prometheus.corp.local:9100", REMOTE_PORT_COLLISION),
                arguments("R localhost:9100:localhost:9100", "R 127.0.0.1:9100:localhost:9200", REMOTE_PORT_COLLISION),
                arguments("R 192.0.2.20:9100:localhost:9100", "R 0.0.0.0:9100:localhost:9200", REMOTE_PORT_COLLISION),
                arguments("R *:9100:localhost:9100", "R *:9100:localhost:9100", DUPLICATE_MAPPING),
                arguments("R 2222:localhost:22 # ssh", "R 2222:LOCALHOST:22", DUPLICATE_MAPPING),
                // several remote ports may point to one local target
                arguments("R *:9100:localhost:9100", "R *:9101:localhost:9100", null),
                arguments("R 2222:localhost:22", "R 2223:localhost:22", null),
                // different addresses on the server
                arguments("R 192.0.2.20:9100:localhost:9100", "R 127.0.0.1:9100:localhost:9200", null));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("remotePairs")
    void remotePairsInTheSameTunnel(String first, String second, String code) {
        assertPairInOneTunnel(first, second, code, "remote port");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("remotePairs")
    void remotePairsAcrossTunnelsOnTheSameServer(String first, String second, String code) {
        assertPairAcrossTunnels(first, second, code, SERVER, 22, "remote port");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("remotePairs")
    void remotePairsAcrossTunnelsOnTheSameServerWrittenDifferently(String first, String second, String code) {
        assertPairAcrossTunnels(first, second, code, "SSH.Corp.Local", 22, "remote port");
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("remotePairs")
    void remotePairsOnAnotherServerNeverCollide(String first, String second, String code) {
        assertPairAcrossTunnels(first, second, null, "other.corp.local", 22, "remote port");
        assertPairAcrossTunnels(first, second, null, SERVER, 2222, "remote port");
    }

    @Test
    void aRemoteCollisionNamesTheServerTheOtherTunnelAndItsMapping() {
        TunnelSpec prom = tunnel("prometheus", "R *:9100:localhost:9100", "R *:9999:localhost:9999").build();
        TunnelSpec node = tunnel("node", "R 9999:localhost:9998").build();
        Finding f = single(check(node, prom), REMOTE_PORT_COLLISION);
        assertFinding(f, Severity.ERROR, REMOTE_PORT_COLLISION, "mappings", 0);
        assertEquals("mapping 1 \"R 9999:localhost:9998\": remote port 9999 on ssh.corp.local:22 is already used by tunnel "
                + "\"prometheus\" (mapping 2 \"R *:9999:localhost:9999\"): choose another remote port", f.message());
    }

    @Test
    void aRemoteCollisionQuotesEvenABrokenServerPrintably() {
        String host = "ssh.corp.local\r\nINJECTED";
        TunnelSpec prom = tunnel("prometheus", "R 9100:localhost:9100").server(host, 22).build();
        TunnelSpec node = tunnel("node", "R 9100:localhost:9101").server(host, 22).build();
        List<Finding> findings = check(node, prom);
        Finding f = single(findings, REMOTE_PORT_COLLISION);
        assertFinding(f, Severity.ERROR, REMOTE_PORT_COLLISION, "mappings", 0,
                "remote port 9100 on ssh.corp.local\\u000d\\u000aINJECTED:22 is already used");
        single(findings, HOST_SYNTAX);
        assertTrue(findings.stream().allMatch(x -> x.message().chars().noneMatch(Character::isISOControl)), findings::toString);
    }

    @Test
    void aDuplicateNamesTheOtherTunnelAndItsMapping() {
        TunnelSpec ad = tunnel("ad", "L 1433:sql:1433", "L 1389:dc1.corp.local:389 # LDAP").build();
        TunnelSpec copy = tunnel("ad-copy", "L 1389:dc1.corp.local:389").build();
        Finding f = single(check(copy, ad), DUPLICATE_MAPPING);
        assertFinding(f, Severity.ERROR, DUPLICATE_MAPPING, "mappings", 0);
        assertEquals("mapping 1 \"L 1389:dc1.corp.local:389\" repeats mapping 2 of tunnel \"ad\": remove one of them", f.message());
    }

    /** Within one tunnel only the later of the two mappings is flagged, naming the earlier one. */
    private void assertPairInOneTunnel(String first, String second, String code, String what) {
        List<Finding> findings = check(tunnel("ad", first, second).build());
        assertCollision(findings, code, 1, "ad", 1, first, second, what, true);
        assertTrue(findings.stream().noneMatch(f -> f.mappingIndex() == 0 && f.isError()), findings::toString);
    }

    /** Across tunnels each side is flagged when it is the candidate, naming the other. */
    private void assertPairAcrossTunnels(String first, String second, String code, String otherHost, int otherPort, String what) {
        TunnelSpec a = tunnel("ad", "L 1433:sql:1433", first).build();
        TunnelSpec b = tunnel("sql", second).server(otherHost, otherPort).build();
        assertCollision(check(b, a), code, 0, "ad", 2, first, second, what, false);
        assertCollision(check(a, b), code, 1, "sql", 1, second, first, what, false);
    }

    /** The collision names the other mapping, and its tunnel: "tunnel X", or within one tunnel "mapping N … of this tunnel". */
    private static void assertCollision(List<Finding> findings, String code, int index, String otherTunnel, int otherNumber,
            String otherEntry, String entry, String what, boolean self) {
        List<Finding> collisions = findings.stream()
                .filter(f -> Set.of(LOCAL_PORT_COLLISION, REMOTE_PORT_COLLISION, DUPLICATE_MAPPING).contains(f.code()))
                .collect(Collectors.toList());
        if (code == null) {
            assertEquals(List.of(), collisions);
            assertNoErrors(findings);
            return;
        }
        assertEquals(1, collisions.size(), findings::toString);
        Finding f = collisions.get(0);
        PortMapping m = PortMapping.parse(entry);
        assertFinding(f, Severity.ERROR, code, "mappings", index, "mapping " + (index + 1) + " \"" + m.format() + "\"",
                self ? "of this tunnel (\"" + otherTunnel + "\")" : "tunnel \"" + otherTunnel + "\"", "mapping " + otherNumber);
        if (!code.equals(DUPLICATE_MAPPING)) {
            String other = "mapping " + otherNumber + " \"" + PortMapping.parse(otherEntry).format() + "\"";
            assertFinding(f, Severity.ERROR, code, "mappings", index, what + " " + m.bindPort() + " ",
                    self ? other + " of this tunnel" : "(" + other + ")", "choose another " + what);
        }
    }

    @Test
    void disabledTunnelsAndTheCandidatesOwnSavedVersionAreIgnored() {
        TunnelSpec ad = tunnel("ad", "L 1389:dc1:389", "R 9100:localhost:9100").build();
        TunnelSpec disabled = tunnel("old-ad", "L 1389:dc1:389", "R 9100:localhost:9100").enabled(false).build();
        TunnelSpec savedSelf = tunnel("ad", "L 1389:dc2:389", "R 9100:localhost:9200").build();
        assertEquals(ad.id(), savedSelf.id());
        assertEquals(List.of(), check(ad, disabled, savedSelf));
        // and the same others, enabled and under another id, do collide
        TunnelSpec enabled = disabled.toBuilder().enabled(true).build();
        assertEquals(List.of(DUPLICATE_MAPPING, DUPLICATE_MAPPING),
                check(ad, enabled).stream().map(Finding::code).collect(Collectors.toList()));
    }

    @Test
    void aDisabledCandidateIsStillCheckedAgainstEnabledOthers() {
        TunnelSpec ad = tunnel("ad", "L 1389:dc1:389").build();
        TunnelSpec candidate = tunnel("ad2", "L 1389:dc2:389").enabled(false).build();
        single(check(candidate, ad), LOCAL_PORT_COLLISION);
    }

    // ---- LOCAL_PORT_IN_USE -----------------------------------------------------------------------

    @Test
    void aLocalPortTakenByAnotherProgramIsAWarning() {
        List<String> probed = new ArrayList<>();
        Rules busy = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> p >= 1024, (host, port) -> {
            probed.add(host + " " + port);
            return port != 1389;
        });
        List<Finding> findings = busy.check(tunnel("t", "L 1389:dc1:389", "L *:1433:sql:1433", "L 192.0.2.10:1712:meta:1712",
                "R 9100:localhost:9100").build(), List.of(), Locale.ENGLISH, List.of(), (id, port) -> false);
        Finding f = single(findings, LOCAL_PORT_IN_USE);
        assertFinding(f, Severity.WARNING, LOCAL_PORT_IN_USE, "mappings", 0);
        assertEquals("mapping 1 \"L 1389:dc1:389\": local port 1389 is already in use on this machine by another program: "
                + "the mapping will be retried until the port is free; choose another port or stop that program", f.message());
        assertEquals(List.of("127.0.0.1 1389", "0.0.0.0 1433", "192.0.2.10 1712"), probed,
                "each L mapping is tried on its own bind address, R mappings never");
        assertNoErrors(findings);
    }

    @Test
    void aLocalPortHeldByTheTunnelItselfIsNotInUseByAnotherProgram() {
        List<String> asked = new ArrayList<>();
        BiPredicate<String, Integer> heldByItself = (id, port) -> {
            asked.add(id + " " + port);
            return port == 1389;
        };
        Rules busy = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> p >= 1024, (host, port) -> false);
        TunnelSpec t = tunnel("ad", "L 1389:dc1:389", "L 1390:dc1:389").build();
        List<Finding> findings = busy.check(t, List.of(), Locale.ENGLISH, List.of(), heldByItself);
        Finding f = single(findings, LOCAL_PORT_IN_USE);
        assertEquals(1, f.mappingIndex(), "only the port the tunnel does not hold itself: " + findings);
        assertEquals(List.of(t.id() + " 1389", t.id() + " 1390"), asked);
    }

    @Test
    void aMappingThatIsAlreadyAnErrorIsNotAlsoReportedAsInUse() {
        Rules busy = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> p >= 1024, (host, port) -> false);
        TunnelSpec ad = tunnel("ad", "L 1389:dc1:389").build();
        List<Finding> findings = busy.check(tunnel("t", "L 389:dc1:389", "L 1389:dc2:389").build(), List.of(ad), Locale.ENGLISH,
                List.of(), (id, port) -> false);
        assertEquals(List.of(PRIVILEGED_LOCAL_PORT, LOCAL_PORT_COLLISION),
                findings.stream().map(Finding::code).collect(Collectors.toList()), findings::toString);
    }

    @Test
    void aFreePortIsNotReported() {
        assertEquals(List.of(), check(tunnel("t", "L 1389:dc1:389").build()));
    }

    // ---- policies --------------------------------------------------------------------------------

    /** A module that allows only local, non-gateway mappings on ports 1024-2000. */
    static final class AdPolicy implements TunnelPolicy {
        @Override
        public String module() {
            return "com.example.ad";
        }

        @Override
        public Set<MappingKind> allowedKinds() {
            return Set.of(MappingKind.L);
        }

        @Override
        public boolean gatewayAllowed() {
            return false;
        }

        @Override
        public List<PortRange> allowedBindPorts() {
            return List.of(new PortRange(1024, 2000));
        }

        @Override
        public Set<String> allowedTemplates() {
            return Set.of("ldaps", "ldap");
        }
    }

    static Stream<Arguments> policyCases() {
        return Stream.of(
                arguments("L 1389:dc1.corp.local:389", List.of()),
                arguments("L 1024:dc1:389", List.of()),
                arguments("L 2000:dc1:389", List.of()),
                arguments("L localhost:1433:sql:1433", List.of()),
                arguments("R 1500:localhost:1500", List.of(POLICY_KIND)),
                arguments("L *:1712:metadir.corp.local:1712", List.of(POLICY_GATEWAY)),
                arguments("L 192.0.2.10:1712:metadir.corp.local:1712", List.of(POLICY_GATEWAY)),
                arguments("L 3000:dc1:389", List.of(POLICY_PORT)),
                arguments("L 1023:dc1:389", List.of(POLICY_PORT)),
                arguments("L 2001:dc1:389", List.of(POLICY_PORT)),
                arguments("R *:9100:localhost:9100", List.of(POLICY_KIND, POLICY_GATEWAY, POLICY_PORT)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("policyCases")
    void aModulesPolicyForbidsKindsGatewaysAndPorts(String entry, List<String> codes) {
        Rules privileged = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> true, (h, p) -> true);
        List<Finding> findings = privileged.check(tunnel("t", "L 1433:sql:1433", entry).owner("com.example.ad").build(), List.of(),
                Locale.ENGLISH, List.of(new AdPolicy()), (id, port) -> false);
        List<Finding> policy = findings.stream().filter(f -> f.code().startsWith("POLICY_")).collect(Collectors.toList());
        assertEquals(codes, policy.stream().map(Finding::code).collect(Collectors.toList()), findings::toString);
        String formatted = PortMapping.parse(entry).format();
        PortMapping m = PortMapping.parse(entry);
        for (Finding f : policy) {
            assertFinding(f, Severity.ERROR, f.code(), "mappings", 1, "mapping 2 \"" + formatted + "\": module \"com.example.ad\"");
            switch (f.code()) {
                case POLICY_KIND:
                    assertTrue(f.message().contains("does not allow R mappings in its tunnels"), f.message());
                    break;
                case POLICY_GATEWAY:
                    assertTrue(f.message().endsWith("does not allow gateway mappings (reachable by other hosts): remove the bind address"),
                            f.message());
                    break;
                default:
                    assertTrue(f.message().contains("allows only ports 1024-2000, not " + m.bindPort()), f.message());
            }
        }
    }

    @Test
    void aPolicyWithSeveralRangesListsThemAll() {
        TunnelPolicy ranges = new TunnelPolicy() {
            @Override
            public String module() {
                return "com.example.web";
            }

            @Override
            public List<PortRange> allowedBindPorts() {
                return List.of(new PortRange(8080, 8090), new PortRange(9100, 9100));
            }
        };
        List<Finding> findings = rules.check(tunnel("t", "L 8085:web:80", "R 9100:localhost:9100", "L 8443:web:443").build(),
                List.of(), Locale.ENGLISH, List.of(ranges), (id, port) -> false);
        Finding f = single(findings, POLICY_PORT);
        assertEquals(2, f.mappingIndex());
        assertEquals("mapping 3 \"L 8443:web:443\": module \"com.example.web\" allows only ports 8080-8090, 9100, not 8443: choose a port in that range", f.message());
    }

    @Test
    void aPolicyWithTheDefaultsAllowsEverything() {
        TunnelPolicy defaults = () -> "com.example.any";
        List<Finding> findings = rules.check(tunnel("t", "L *:1712:meta:1712", "R *:9100:localhost:9100", "L 1:a:1").build(),
                List.of(), Locale.ENGLISH, List.of(defaults), (id, port) -> false);
        assertTrue(findings.stream().noneMatch(f -> f.code().startsWith("POLICY_")), findings::toString);
    }

    @Test
    void everyPolicyPassedIsApplied() {
        TunnelPolicy onlyR = new TunnelPolicy() {
            @Override
            public String module() {
                return "com.example.r";
            }

            @Override
            public Set<MappingKind> allowedKinds() {
                return Set.of(MappingKind.R);
            }
        };
        List<Finding> findings = rules.check(tunnel("t", "L 1389:dc1:389").build(), List.of(), Locale.ENGLISH,
                List.of(new AdPolicy(), onlyR), (id, port) -> false);
        Finding f = single(findings, POLICY_KIND);
        assertTrue(f.message().contains("module \"com.example.r\" does not allow L mappings"), f.message());
    }

    @Test
    void everyFindingOfAMixedConfigurationIsAboutTheRightMapping() {
        TunnelSpec t = tunnel("mixed", "L 1389:dc1:389", "L 389:dc1:389", "R *:80:localhost:8080", "L 1389:dc2:389").build();
        List<Finding> findings = check(t);
        List<String> summary = findings.stream().map(f -> f.severity() + " " + f.code() + " " + f.mappingIndex())
                .collect(Collectors.toList());
        assertEquals(List.of("ERROR PRIVILEGED_LOCAL_PORT 1", "WARNING PRIVILEGED_REMOTE_PORT 2", "NOTICE GATEWAY_EXPOSURE 2",
                "ERROR LOCAL_PORT_COLLISION 3"), summary);
        assertFalse(findings.stream().anyMatch(f -> f.mappingIndex() == 0));
    }

    @Test
    void aNameTakenByAnotherTunnelIsAnErrorNamingItsConfigurationAndOwner() {
        TunnelSpec first = tunnel("ad", "L 1389:dc1:389").owner("com.example.directory").build();
        TunnelSpec second = TunnelSpec.builder("io.sshtunnel.tunnel~second", "ad").server(SERVER, 22).username("u").passwordSet(true)
                .mappings(List.of(PortMapping.parse("L 1390:dc1:389"))).build();
        Finding f = single(new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> true, (h, p) -> true).check(second, List.of(first), java.util.Locale.ENGLISH,
                List.of(), (id, p) -> false), io.sshtunnel.api.FindingCodes.NAME_TAKEN);
        assertEquals("name", f.property());
        assertEquals("name \"ad\" is already the name of another tunnel (configuration io.sshtunnel.tunnel~ad, owned by"
                + " com.example.directory): tunnel names are unique in the container, choose another name", f.message());
        assertTrue(new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), p -> true, (h, p) -> true).check(first, List.of(first), java.util.Locale.ENGLISH,
                List.of(), (id, p) -> false).isEmpty(), "a tunnel never collides with itself");
    }
}
