package io.sshtunnel.core.config;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelSpec;

class ConfigReaderTest {
    static final String PID = "io.sshtunnel.tunnel~customer-ad";
    static final String PASSWORD_VALUE = "Pa55w0rd!-do-not-show";
    static final String PASSPHRASE_VALUE = "key-Phrase-do-not-show";
    static final String FP = "SHA256:" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE";

    @TempDir
    Path tmp;

    /** The smallest valid configuration: password authentication, one mapping. */
    static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, "ssh.customer.example");
        p.put(USERNAME, "svc-tunnel");
        p.put(PASSWORD, PASSWORD_VALUE);
        p.put(MAPPINGS, new String[] { "L 1389:dc1.corp.local:389 # LDAP", "R 2222:localhost:22" });
        return p;
    }

    static Map<String, Object> with(String key, Object value) {
        Map<String, Object> p = valid();
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        return p;
    }

    static List<Finding> errors(ParsedConfig c) {
        return c.findings().stream().filter(Finding::isError).collect(Collectors.toList());
    }

    /** Asserts exactly one error, about {@code property}, with the code and a message containing each fragment. */
    static Finding onlyError(ParsedConfig c, String property, String code, String... fragments) {
        List<Finding> errors = errors(c);
        assertEquals(1, errors.size(), "findings: " + c.findings());
        Finding f = errors.get(0);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(property, f.property(), f.toString());
        assertEquals(code, f.code(), f.toString());
        for (String s : fragments) {
            assertTrue(f.message().contains(s), "expected <" + s + "> in: " + f.message());
        }
        assertTrue(c.hasErrors());
        assertNull(c.credentials(), "no credentials for a configuration with errors");
        return f;
    }

    // ---- valid configurations ------------------------------------------------------------------

    @Test
    void aMinimalConfigurationGetsTheContractsDefaults() {
        ParsedConfig c = ConfigReader.read(PID, valid());
        assertEquals(List.of(), c.findings());
        assertFalse(c.hasErrors());
        TunnelSpec s = c.spec();
        assertAll(
                () -> assertEquals(PID, s.id()),
                () -> assertEquals("customer-ad", s.name(), "name defaults to what follows ~ in the PID"),
                () -> assertTrue(s.enabled()),
                () -> assertNull(s.owner()),
                () -> assertEquals("ssh.customer.example", s.serverHost()),
                () -> assertEquals(22, s.serverPort()),
                () -> assertEquals("ssh.customer.example:22", s.server()),
                () -> assertEquals("svc-tunnel", s.username()),
                () -> assertTrue(s.passwordSet()),
                () -> assertFalse(s.passphraseSet()),
                () -> assertNull(s.privateKeyPath()),
                () -> assertNull(s.fingerprint(), "no fingerprint: trust on first use"),
                () -> assertEquals(5, s.keepaliveSeconds()),
                () -> assertEquals(20, s.reconnectMaxSeconds()),
                () -> assertEquals(15, s.connectTimeoutSeconds()),
                () -> assertEquals(List.of(PortMapping.parse("L 1389:dc1.corp.local:389"), PortMapping.parse("R 2222:localhost:22")),
                        s.mappings()),
                () -> assertEquals("LDAP", s.mappings().get(0).label()));
        assertNotNull(c.credentials());
        assertEquals("svc-tunnel", c.credentials().username());
    }

    @Test
    void everyPropertySetExplicitly() {
        Map<String, Object> p = valid();
        p.put(NAME, "  ad  ");
        p.put(ENABLED, Boolean.FALSE);
        p.put(OWNER, "com.example.pbx.ldap");
        p.put(SERVER_HOST, "203.0.113.10");
        p.put(SERVER_PORT, 8822);
        p.put(FINGERPRINT, FP);
        p.put(KEEPALIVE_SECONDS, 10L);
        p.put(RECONNECT_MAX_SECONDS, "60");
        p.put(CONNECT_TIMEOUT_SECONDS, (short) 30);
        ParsedConfig c = ConfigReader.read(PID, p);
        assertEquals(List.of(), c.findings());
        TunnelSpec s = c.spec();
        assertEquals("ad", s.name());
        assertFalse(s.enabled());
        assertEquals("com.example.pbx.ldap", s.owner());
        assertEquals("203.0.113.10:8822", s.server());
        assertEquals(FP, s.fingerprint());
        assertEquals(10, s.keepaliveSeconds());
        assertEquals(60, s.reconnectMaxSeconds());
        assertEquals(30, s.connectTimeoutSeconds());
    }

    @Test
    void aPidWithoutTildeIsTheDefaultName() {
        assertEquals("io.sshtunnel.tunnel.4f7a1c", ConfigReader.read("io.sshtunnel.tunnel.4f7a1c", valid()).spec().name());
        assertEquals("x~y", ConfigReader.defaultName("pid~x~y"));
        assertEquals("customer-ad", ConfigReader.read(PID, with(NAME, "   ")).spec().name(), "a blank name counts as absent");
    }

    @ParameterizedTest
    @ValueSource(strings = { "true", "TRUE", " True " })
    void enabledAcceptsTheWordTrue(String v) {
        ParsedConfig c = ConfigReader.read(PID, with(ENABLED, v));
        assertEquals(List.of(), c.findings());
        assertTrue(c.spec().enabled());
    }

    @ParameterizedTest
    @ValueSource(strings = { "false", "FALSE", "False" })
    void enabledAcceptsTheWordFalse(String v) {
        ParsedConfig c = ConfigReader.read(PID, with(ENABLED, v));
        assertEquals(List.of(), c.findings());
        assertFalse(c.spec().enabled());
    }

    @ParameterizedTest
    @ValueSource(strings = { "[2001:db8::22]", "2001:db8::22" })
    void anIpv6ServerIsStoredWithoutBracketsAndShownWithThem(String host) {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_HOST, host));
        assertEquals(List.of(), c.findings());
        assertEquals("2001:db8::22", c.spec().serverHost());
        assertEquals("[2001:db8::22]:22", c.spec().server());
    }

    @Test
    void theFingerprintIsTakenFromTheWholeLineSshKeygenPrints() {
        ParsedConfig c = ConfigReader.read(PID, with(FINGERPRINT, "256 " + FP + " root@ssh (ED25519)"));
        assertEquals(List.of(), c.findings());
        assertEquals(FP, c.spec().fingerprint());
    }

    @Test
    void anEmptyFingerprintMeansTrustOnFirstUse() {
        ParsedConfig c = ConfigReader.read(PID, with(FINGERPRINT, ""));
        assertEquals(List.of(), c.findings());
        assertNull(c.spec().fingerprint());
    }

    // ---- the forms a list of mappings comes in -------------------------------------------------

    static Stream<Arguments> mappingForms() {
        List<PortMapping> two = List.of(PortMapping.parse("L 1389:dc1.corp.local:389"), PortMapping.parse("R *:9100:localhost:9100"));
        return Stream.of(
                arguments("String[]", new String[] { "L 1389:dc1.corp.local:389 # LDAP", "R *:9100:localhost:9100" }, two),
                arguments("String[] with blanks", new String[] { " L 1389:dc1.corp.local:389 # LDAP ", "", "  ", "R *:9100:localhost:9100" }, two),
                arguments("List", List.of("L 1389:dc1.corp.local:389 # LDAP", "R *:9100:localhost:9100"), two),
                arguments("Vector", new Vector<>(List.of("L 1389:dc1.corp.local:389 # LDAP", "R *:9100:localhost:9100")), two),
                arguments("comma separated", "L 1389:dc1.corp.local:389 # LDAP, R *:9100:localhost:9100", two),
                arguments("comma separated, trailing comma", "L 1389:dc1.corp.local:389,R *:9100:localhost:9100,", two),
                arguments("one per line", "L 1389:dc1.corp.local:389 # LDAP, primary\nR *:9100:localhost:9100\n", two),
                arguments("one per line, CRLF", "\r\nL 1389:dc1.corp.local:389 # LDAP\r\n\r\nR *:9100:localhost:9100", two),
                arguments("single String", "L 1389:dc1.corp.local:389", List.of(two.get(0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappingForms")
    void mappingsAreReadFromEveryForm(String form, Object value, List<PortMapping> expected) {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, value));
        assertEquals(List.of(), c.findings());
        assertEquals(expected, c.spec().mappings());
    }

    @Test
    void aLabelContainingACommaSurvivesTheLineForm() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, "L 1389:dc1:389 # LDAP, primary\nL 1433:sql:1433"));
        assertEquals("LDAP, primary", c.spec().mappings().get(0).label());
    }

    // ---- bad values: one ERROR finding naming the property and quoting the value -------------

    @Test
    void missingServerHost() {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_HOST, null));
        onlyError(c, SERVER_HOST, "REQUIRED", "server.host is not set");
        assertNull(c.spec().serverHost());
    }

    @Test
    void blankServerHost() {
        onlyError(ConfigReader.read(PID, with(SERVER_HOST, "  ")), SERVER_HOST, "REQUIRED", "server.host is not set");
    }

    @Test
    void missingUsername() {
        onlyError(ConfigReader.read(PID, with(USERNAME, null)), USERNAME, "REQUIRED", "username is not set");
    }

    static Stream<Arguments> badPorts() {
        return Stream.of(
                arguments(0, "PORT_RANGE", "server.port 0 is outside 1-65535"),
                arguments(-22, "PORT_RANGE", "server.port -22 is outside 1-65535"),
                arguments(70000, "PORT_RANGE", "server.port 70000 is outside 1-65535"),
                arguments("70000", "PORT_RANGE", "server.port 70000 is outside 1-65535"),
                arguments(Long.MAX_VALUE, "PORT_RANGE", "server.port " + Long.MAX_VALUE + " is outside"),
                arguments("abc", "TYPE", "server.port \"abc\" is not a whole number"),
                arguments("22.0", "TYPE", "server.port \"22.0\" is not a whole number"),
                arguments("99999999999999999999", "TYPE", "\"99999999999999999999\" is not a whole number"),
                arguments(22.5d, "TYPE", "server.port has a Double value \"22.5\""),
                arguments(22.0f, "TYPE", "server.port has a Float value \"22.0\""),
                arguments(Boolean.TRUE, "TYPE", "server.port has a Boolean value \"true\""));
    }

    @ParameterizedTest(name = "server.port = {0}")
    @MethodSource("badPorts")
    void badServerPort(Object value, String code, String fragment) {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_PORT, value));
        Finding f = onlyError(c, SERVER_PORT, code, fragment, "give the SSH server's TCP port");
        assertEquals(Finding.NO_MAPPING, f.mappingIndex());
        assertEquals(22, c.spec().serverPort(), "the default stands in for a bad value");
    }

    @ParameterizedTest
    @ValueSource(strings = { KEEPALIVE_SECONDS, RECONNECT_MAX_SECONDS, CONNECT_TIMEOUT_SECONDS })
    void secondsOutOfRange(String key) {
        onlyError(ConfigReader.read(PID, with(key, 0)), key, "RANGE", key + " 0 is outside 1-");
        onlyError(ConfigReader.read(PID, with(key, 100_000)), key, "RANGE", key + " 100000 is outside 1-");
        onlyError(ConfigReader.read(PID, with(key, "soon")), key, "TYPE", key + " \"soon\" is not a whole number");
    }

    @ParameterizedTest
    @ValueSource(strings = { "yes", "no", "1", "on", "enabled" })
    void enabledThatIsNotABoolean(String v) {
        ParsedConfig c = ConfigReader.read(PID, with(ENABLED, v));
        onlyError(c, ENABLED, "TYPE", "enabled \"" + v + "\" is not a boolean", "write true or false");
        assertTrue(c.spec().enabled());
    }

    @Test
    void noMappingsAtAll() {
        for (Object empty : new Object[] { null, new String[0], List.of(), "", " , ,", "\n\n", new String[] { "", " " } }) {
            ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, empty));
            onlyError(c, MAPPINGS, "REQUIRED", "mappings is empty", "L 1389:dc1.corp.local:389 # LDAP");
            assertEquals(List.of(), c.spec().mappings());
        }
    }

    @Test
    void mappingsOfAnotherType() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, 1389));
        List<Finding> errors = errors(c);
        assertEquals(List.of("TYPE"), errors.stream().map(Finding::code).collect(Collectors.toList()));
        assertTrue(errors.stream().allMatch(f -> f.property().equals(MAPPINGS)), errors.toString());
        assertEquals("mappings has a Integer value: give a list of text entries", errors.get(0).message());
    }

    @Test
    void unparsableMappingsAreReportedWithTheirIndex() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, new String[] {
                "L 1389:dc1.corp.local:389 # LDAP", "-L 1433:sql.corp.local:1433", "R *:9100:localhost:9100", "L 0:dc1:389" }));
        List<Finding> errors = errors(c);
        assertEquals(2, errors.size(), c.findings().toString());

        Finding first = errors.get(0);
        assertEquals(MAPPINGS, first.property());
        assertEquals("MAPPING_SYNTAX", first.code());
        assertEquals(1, first.mappingIndex());
        assertTrue(first.message().startsWith("mappings[1]: mapping \"-L 1433:sql.corp.local:1433\""), first.message());
        assertTrue(first.message().contains("without the dash"), first.message());
        assertEquals("ERROR MAPPING_SYNTAX: " + first.message(), first.toString());

        Finding second = errors.get(1);
        assertEquals(3, second.mappingIndex());
        assertTrue(second.message().contains("mapping \"L 0:dc1:389\" has port 0, outside 1-65535"), second.message());

        assertEquals(List.of(PortMapping.parse("L 1389:dc1.corp.local:389"), PortMapping.parse("R *:9100:localhost:9100")),
                c.spec().mappings(), "the good entries are still read");
        assertNull(c.credentials());
    }

    @Test
    void theIndexOfABadMappingInTheLineFormCountsTheEntries() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, "L 1389:dc1:389\nL 1433:sql:1433:1\n"));
        Finding f = onlyError(c, MAPPINGS, "MAPPING_SYNTAX", "mappings[1]", "\"L 1433:sql:1433:1\"");
        assertEquals(1, f.mappingIndex());
    }

    @Test
    void aControlCharacterInAMappingIsReportedEscaped() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, new String[] { "L 1389:dc1:389 # LD\nAP" }));
        Finding f = onlyError(c, MAPPINGS, "MAPPING_SYNTAX", "control character (code 10)", "\"L 1389:dc1:389 # LD\\u000aAP\"");
        assertEquals(0, f.mappingIndex());
        assertTrue(f.message().chars().noneMatch(Character::isISOControl), f.message());
    }

    @ParameterizedTest
    @ValueSource(strings = { "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "SHA256:tooShort", "yes", "ssh-ed25519 AAAAC3Nza" })
    void fingerprintThatIsNotASha256Fingerprint(String fp) {
        ParsedConfig c = ConfigReader.read(PID, with(FINGERPRINT, fp));
        onlyError(c, FINGERPRINT, "FINGERPRINT_FORMAT", "fingerprint \"" + fp + "\" is not a SHA256 fingerprint", "ssh-keygen -lf");
        assertNull(c.spec().fingerprint());
    }

    @Test
    void neitherPasswordNorKey() {
        Finding f = onlyError(ConfigReader.read(PID, with(PASSWORD, null)), PASSWORD, "NO_CREDENTIALS",
                "neither password nor private.key.path is set");
        assertTrue(f.message().contains("private key"), f.message());
        onlyError(ConfigReader.read(PID, with(PASSWORD, "")), PASSWORD, "NO_CREDENTIALS");
    }

    @Test
    void aPrivateKeyFileThatDoesNotExist() {
        Path missing = tmp.resolve("no-such-key");
        Map<String, Object> p = with(PASSWORD, null);
        p.put(PRIVATE_KEY_PATH, missing.toString());
        ParsedConfig c = ConfigReader.read(PID, p);
        onlyError(c, PRIVATE_KEY_PATH, "KEY_FILE", "\"" + missing + "\" does not exist", "give the path of an OpenSSH or PEM private key");
        assertEquals(missing.toString(), c.spec().privateKeyPath());
    }

    @Test
    void aPrivateKeyPathThatIsADirectory() {
        Map<String, Object> p = with(PRIVATE_KEY_PATH, tmp.toString());
        onlyError(ConfigReader.read(PID, p), PRIVATE_KEY_PATH, "KEY_FILE", "\"" + tmp + "\" does not exist or is not a file");
    }

    @Test
    void aPrivateKeyFileThatIsNotAKey() throws IOException {
        Path junk = Files.writeString(tmp.resolve("notes.txt"), "this is not a key\n");
        onlyError(ConfigReader.read(PID, with(PRIVATE_KEY_PATH, junk.toString())), PRIVATE_KEY_PATH, "KEY_FILE",
                "\"" + junk + "\"");
    }

    static Stream<Arguments> badHosts() {
        return Stream.of(
                arguments("ssh.example.com\u0007", "CONTROL_CHARACTER", "server.host \"ssh.example.com\\u0007\" contains a control character"),
                arguments("ssh\nexample.com", "CONTROL_CHARACTER", "\"ssh\\u000aexample.com\""),
                arguments("ssh\u0000", "CONTROL_CHARACTER", "\"ssh\\u0000\""),
                arguments("ssh example.com", "HOST_SYNTAX", "server.host \"ssh example.com\" is not a host name or IP address"),
                arguments("ssh.example.com:22", "HOST_SYNTAX", "\"ssh.example.com:22\""),
                arguments("user@ssh.example.com", "HOST_SYNTAX", "\"user@ssh.example.com\""),
                arguments("-oProxyCommand=x", "HOST_SYNTAX", "\"-oProxyCommand=x\""),
                arguments("[::1", "HOST_SYNTAX", "\"[::1\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHosts")
    void badServerHost(String host, String code, String fragment) {
        Finding f = onlyError(ConfigReader.read(PID, with(SERVER_HOST, host)), SERVER_HOST, code, fragment);
        assertTrue(f.message().chars().noneMatch(Character::isISOControl), "no raw control character: " + f.message());
    }

    @Test
    void aLongHostNameIsQuotedShortened() {
        String host = "a".repeat(300);
        Finding f = onlyError(ConfigReader.read(PID, with(SERVER_HOST, host)), SERVER_HOST, "HOST_SYNTAX",
                "\"" + "a".repeat(200) + "... (300 characters)\"");
        assertFalse(f.message().contains("a".repeat(201)), f.message());
    }

    @ParameterizedTest
    @ValueSource(strings = { SERVER_HOST, USERNAME, NAME, OWNER, PRIVATE_KEY_PATH, FINGERPRINT })
    void hugeStringsAreRefused(String key) {
        String huge = "x".repeat(100_000);
        Finding f = onlyError(ConfigReader.read(PID, with(key, huge)), key, "TOO_LONG", key + " is 100000 characters long",
                "at most 4096");
        assertTrue(f.message().length() < 200, "the value is not repeated: " + f.message().length());
    }

    @Test
    void aHugeMappingsListIsReadWithoutFailing() {
        String[] many = new String[2000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "L " + (10_000 + i) + ":dc1:389";
        }
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, many));
        assertEquals(List.of(), c.findings());
        assertEquals(2000, c.spec().mappings().size());
    }

    @Test
    void aHugeMappingEntryIsQuotedShortened() {
        String entry = "L 1389:" + "d".repeat(100_000) + ":389";
        Finding f = onlyError(ConfigReader.read(PID, with(MAPPINGS, new String[] { entry })), MAPPINGS, "MAPPING_SYNTAX",
                "\"" + entry.substring(0, 200) + "... (" + entry.length() + " characters)\"", "not a host name");
        assertTrue(f.message().length() < 1000, "message length " + f.message().length());
    }

    @Test
    void aTextPropertyOfAnotherType() {
        onlyError(ConfigReader.read(PID, with(USERNAME, 42)), USERNAME, "TYPE", "username has a Integer value \"42\": give text");
    }

    @Test
    void aSingleElementArrayCountsAsText() {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_HOST, new String[] { "ssh.customer.example" }));
        assertEquals(List.of(), c.findings());
        assertEquals("ssh.customer.example", c.spec().serverHost());
    }

    @Test
    void severalValuesForATextPropertyAreQuoted() {
        onlyError(ConfigReader.read(PID, with(SERVER_HOST, new String[] { "a.example", "b.example" })), SERVER_HOST, "TYPE",
                "server.host has a String[] value \"[a.example, b.example]\": give text");
        onlyError(ConfigReader.read(PID, with(SERVER_HOST, List.of("a.example", "b.example"))), SERVER_HOST, "TYPE",
                "\"[a.example, b.example]\"");
        onlyError(ConfigReader.read(PID, with(SERVER_PORT, new int[] { 22, 23 })), SERVER_PORT, "TYPE",
                "server.port has a int[] value \"[22, 23]\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_PORT, "abc");
        p.put(ENABLED, "yes");
        p.put(FINGERPRINT, "nope");
        ParsedConfig c = ConfigReader.read(PID, p);
        List<String> properties = errors(c).stream().map(Finding::property).collect(Collectors.toList());
        assertEquals(List.of(ENABLED, SERVER_HOST, SERVER_PORT, USERNAME, PASSWORD, FINGERPRINT, MAPPINGS), properties);
    }

    // ---- secrets -------------------------------------------------------------------------------

    @Test
    void secretsNeverAppearInFindingsOrTheSpec() {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, "bad host");
        p.put(SERVER_PORT, "abc");
        p.put(USERNAME, "svc");
        p.put(PASSWORD, PASSWORD_VALUE);
        p.put(PRIVATE_KEY_PATH, tmp.resolve("missing").toString());
        p.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        p.put(FINGERPRINT, "bad");
        p.put(MAPPINGS, new String[] { "L 0:x:1" });
        ParsedConfig c = ConfigReader.read(PID, p);
        assertEquals(List.of(SERVER_HOST, SERVER_PORT, FINGERPRINT, MAPPINGS, PRIVATE_KEY_PATH),
                errors(c).stream().map(Finding::property).collect(Collectors.toList()), c.findings().toString());
        assertTrue(c.spec().passwordSet());
        assertTrue(c.spec().passphraseSet());
        List<String> shown = new ArrayList<>();
        for (Finding f : c.findings()) {
            shown.add(f.message());
            shown.add(f.toString());
        }
        shown.add(c.spec().toString());
        for (String s : shown) {
            assertFalse(s.contains(PASSWORD_VALUE), "password in: " + s);
            assertFalse(s.contains(PASSPHRASE_VALUE), "passphrase in: " + s);
        }
    }

    @Test
    void aSecretOfTheWrongTypeIsNotQuoted() {
        char[] secret = PASSWORD_VALUE.toCharArray();
        Map<String, Object> p = with(PASSWORD, secret);
        p.put(PRIVATE_KEY_PASSPHRASE, List.of(PASSPHRASE_VALUE));
        ParsedConfig c = ConfigReader.read(PID, p);
        List<Finding> errors = errors(c);
        assertEquals(List.of(PASSWORD, PRIVATE_KEY_PASSPHRASE, PASSWORD),
                errors.stream().map(Finding::property).collect(Collectors.toList()), c.findings().toString());
        assertEquals("password is not text: give the secret as text", errors.get(0).message());
        assertEquals("private.key.passphrase is not text: give the secret as text", errors.get(1).message());
        for (Finding f : c.findings()) {
            assertFalse(f.toString().contains(PASSWORD_VALUE) || f.toString().contains(new String(secret)), f.toString());
            assertFalse(f.toString().contains(PASSPHRASE_VALUE), f.toString());
        }
    }

    @Test
    void credentialsNeverShowThePassword() {
        ParsedConfig c = ConfigReader.read(PID, valid());
        assertFalse(c.credentials().toString().contains(PASSWORD_VALUE), c.credentials().toString());
        assertTrue(c.credentials().toString().contains("****"));
    }

    @Test
    void changedPasswordsGiveUnequalCredentials() {
        ParsedConfig a = ConfigReader.read(PID, valid());
        ParsedConfig b = ConfigReader.read(PID, valid());
        ParsedConfig c = ConfigReader.read(PID, with(PASSWORD, "another"));
        assertEquals(a.credentials(), b.credentials());
        assertFalse(a.credentials().equals(c.credentials()));
    }

    // ---- key files made by ssh-keygen ----------------------------------------------------------

    static Stream<Arguments> keyTypes() {
        return Stream.of(
                arguments("ed25519", List.of("-t", "ed25519")),
                arguments("rsa", List.of("-t", "rsa", "-b", "2048")),
                arguments("ecdsa", List.of("-t", "ecdsa", "-b", "256")),
                arguments("rsa-pem", List.of("-t", "rsa", "-b", "2048", "-m", "PEM")));
    }

    private Path keygen(String name, List<String> type, String passphrase) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("ssh-keygen"), "ssh-keygen is not on the PATH");
        Path key = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q"));
        cmd.addAll(type);
        cmd.addAll(List.of("-N", passphrase, "-C", "unit-test", "-f", key.toString()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        proc.getOutputStream().close();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "ssh-keygen did not finish");
        String out = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.exitValue(), "ssh-keygen " + cmd + ": " + out);
        assertTrue(Files.isRegularFile(key), out);
        return key;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> keyConfig(Path key, String passphrase) {
        Map<String, Object> p = with(PASSWORD, null);
        p.put(PRIVATE_KEY_PATH, key.toString());
        if (passphrase != null) {
            p.put(PRIVATE_KEY_PASSPHRASE, passphrase);
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anUnencryptedKeyLoads(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name, type, "");
        ParsedConfig c = ConfigReader.read(PID, keyConfig(key, null));
        assertEquals(List.of(), c.findings());
        assertNotNull(c.credentials());
        assertEquals(key.toString(), c.spec().privateKeyPath());
        assertFalse(c.spec().passwordSet());
        assertFalse(c.spec().passphraseSet());
        assertTrue(c.credentials().toString().contains("1 key(s)"), c.credentials().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyLoadsWithItsPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_enc", type, PASSPHRASE_VALUE);
        ParsedConfig c = ConfigReader.read(PID, keyConfig(key, PASSPHRASE_VALUE));
        assertEquals(List.of(), c.findings());
        assertTrue(c.spec().passphraseSet());
        assertTrue(c.credentials().toString().contains("1 key(s)"), c.credentials().toString());
        assertEquals(c.credentials(), ConfigReader.read(PID, keyConfig(key, PASSPHRASE_VALUE)).credentials(),
                "the same key file gives equal credentials (no reconnect)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyWithAWrongPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_wrong", type, PASSPHRASE_VALUE);
        ParsedConfig c = ConfigReader.read(PID, keyConfig(key, "not-the-passphrase"));
        Finding f = onlyError(c, PRIVATE_KEY_PATH, "KEY_FILE", "\"" + key + "\"", "private.key.passphrase", "check the passphrase");
        assertFalse(f.message().contains("not-the-passphrase"), f.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void anEncryptedKeyWithoutPassphrase(String name, List<String> type) throws Exception {
        Path key = keygen("id_" + name + "_nopass", type, PASSPHRASE_VALUE);
        onlyError(ConfigReader.read(PID, keyConfig(key, null)), PRIVATE_KEY_PATH, "KEY_FILE", "\"" + key + "\" is encrypted",
                "set private.key.passphrase");
    }

    @Test
    void aPublicKeyInsteadOfThePrivateKey() throws Exception {
        Path key = keygen("id_pub", List.of("-t", "ed25519"), "");
        Path pub = Path.of(key + ".pub");
        Finding f = onlyError(ConfigReader.read(PID, keyConfig(pub, null)), PRIVATE_KEY_PATH, "KEY_FILE", "\"" + pub + "\"");
        assertTrue(f.message().contains("private key"), f.message());
    }

    @Test
    void aKeyAndAPasswordTogether() throws Exception {
        Path key = keygen("id_both", List.of("-t", "ed25519"), "");
        Map<String, Object> p = keyConfig(key, null);
        p.put(PASSWORD, PASSWORD_VALUE);
        ParsedConfig c = ConfigReader.read(PID, p);
        assertEquals(List.of(), c.findings());
        assertTrue(c.credentials().toString().contains("password ****, 1 key(s)"), c.credentials().toString());
    }
}
