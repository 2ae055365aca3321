package io.sshtunnel.core.config;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import io.sshtunnel.core.ssh.Credentials;

/**
 * The reader converts Config Admin properties into a {@link TunnelSpec} and {@link Credentials}:
 * types, defaults, the mapping parser. It reports only values it cannot convert; whether the
 * converted values make a usable tunnel is for the validation bundle's rules (RulesTest there).
 * Loading the private key is {@code KeyFiles}' job (KeyFilesTest).
 */
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
        assertNull(c.credentials(), "no credentials for a configuration the reader reported an error in");
        return f;
    }

    /** Asserts the reader had nothing to say and handed on credentials. */
    static void noFinding(ParsedConfig c) {
        assertEquals(List.of(), c.findings());
        assertFalse(c.hasErrors());
        assertNotNull(c.credentials(), "credentials whenever the reader reported no error");
    }

    // ---- valid configurations ------------------------------------------------------------------

    @Test
    void aMinimalConfigurationGetsTheContractsDefaults() {
        ParsedConfig c = ConfigReader.read(PID, valid());
        noFinding(c);
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
        assertEquals("svc-tunnel", c.credentials().username());
        assertNull(c.credentials().keyFile());
        assertEquals(new Credentials("svc-tunnel", PASSWORD_VALUE, null, null), c.credentials());
    }

    @Test
    void theFindingsAreWordedInTheLanguageAskedForAndCanBeWordedAgainInAnother() {
        Map<String, Object> p = valid();
        p.put(MAPPINGS, new String[] { "L 70000:dc1:389", "L 1389:dc1.corp.local:389" });
        p.put(KEEPALIVE_SECONDS, "often");
        ParsedConfig english = ConfigReader.read(PID, p, false);
        ParsedConfig german = ConfigReader.read(PID, p, false, java.util.Locale.GERMAN);
        Finding row = german.findings().stream().filter(f -> f.code().equals(io.sshtunnel.api.FindingCodes.MAPPING_SYNTAX)).findFirst().orElseThrow();
        assertEquals("Mapping 1: Mapping \"L 70000:dc1:389\" hat port 70000, au\u00dferhalb von 1-65535: eine Zahl von 1 bis"
                + " 65535 angeben", row.message());
        assertEquals("mapping 1: mapping \"L 70000:dc1:389\" has port 70000, outside 1-65535: give a number from 1 to 65535",
                english.findings().stream().filter(f -> f.code().equals(io.sshtunnel.api.FindingCodes.MAPPING_SYNTAX)).findFirst().orElseThrow().message());
        assertTrue(german.findings().stream().anyMatch(f -> f.message().equals(
                "keepalive.seconds \"often\" ist keine ganze Zahl: eine ganze Zahl angeben")), german.findings().toString());
        assertEquals(german.findings(), english.readerFindings(java.util.Locale.GERMAN), "the English reading can say it in German");
        assertEquals(List.of(), ConfigReader.read(PID, valid(), false).readerFindings(java.util.Locale.GERMAN));
    }

    @Test
    void everyPropertySetExplicitly() {
        Map<String, Object> p = valid();
        p.put(NAME, "  ad  ");
        p.put(ENABLED, Boolean.FALSE);
        p.put(OWNER, "com.example.pbx.ldap");
        p.put(SERVER_HOST, "203.0.113.10");
        p.put(SERVER_PORT, 8822);
        p.put(PRIVATE_KEY_PATH, " /etc/sshtunnel/id_ed25519 ");
        p.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        p.put(FINGERPRINT, FP);
        p.put(KEEPALIVE_SECONDS, 10L);
        p.put(RECONNECT_MAX_SECONDS, "60");
        p.put(CONNECT_TIMEOUT_SECONDS, (short) 30);
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        TunnelSpec s = c.spec();
        assertEquals("ad", s.name());
        assertFalse(s.enabled());
        assertEquals("com.example.pbx.ldap", s.owner());
        assertEquals("203.0.113.10:8822", s.server());
        assertEquals("/etc/sshtunnel/id_ed25519", s.privateKeyPath());
        assertTrue(s.passphraseSet());
        assertEquals(FP, s.fingerprint());
        assertEquals(10, s.keepaliveSeconds());
        assertEquals(60, s.reconnectMaxSeconds());
        assertEquals(30, s.connectTimeoutSeconds());
        assertEquals(new Credentials("svc-tunnel", PASSWORD_VALUE, Path.of("/etc/sshtunnel/id_ed25519"), PASSPHRASE_VALUE),
                c.credentials());
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
        noFinding(c);
        assertTrue(c.spec().enabled());
    }

    @ParameterizedTest
    @ValueSource(strings = { "false", "FALSE", "False" })
    void enabledAcceptsTheWordFalse(String v) {
        ParsedConfig c = ConfigReader.read(PID, with(ENABLED, v));
        noFinding(c);
        assertFalse(c.spec().enabled());
    }

    @ParameterizedTest
    @ValueSource(strings = { "[2001:db8::22]", "2001:db8::22" })
    void anIpv6ServerIsStoredWithoutBracketsAndShownWithThem(String host) {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_HOST, host));
        noFinding(c);
        assertEquals("2001:db8::22", c.spec().serverHost());
        assertEquals("[2001:db8::22]:22", c.spec().server());
    }

    @Test
    void theFingerprintIsTakenFromTheWholeLineSshKeygenPrints() {
        ParsedConfig c = ConfigReader.read(PID, with(FINGERPRINT, "256 " + FP + " root@ssh (ED25519)"));
        noFinding(c);
        assertEquals(FP, c.spec().fingerprint());
    }

    @Test
    void anEmptyFingerprintMeansTrustOnFirstUse() {
        for (String empty : new String[] { "", "   " }) {
            ParsedConfig c = ConfigReader.read(PID, with(FINGERPRINT, empty));
            noFinding(c);
            assertNull(c.spec().fingerprint());
        }
    }

    // ---- whole numbers -------------------------------------------------------------------------

    static Stream<Arguments> wholeNumbers() {
        return Stream.of(
                arguments(0, 0),
                arguments(-22, -22),
                arguments(70000, 70000),
                arguments("70000", 70000),
                arguments(" 8822 ", 8822),
                arguments(65536L, 65536),
                arguments((byte) 22, 22),
                arguments(Integer.MAX_VALUE, Integer.MAX_VALUE),
                arguments((long) Integer.MIN_VALUE, Integer.MIN_VALUE));
    }

    /** Ranges are rules: the reader takes any int as written, for the validator to judge. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeNumbers")
    void everyWholeNumberWithinIntIsTakenAsWritten(Object value, int expected) {
        for (String key : new String[] { SERVER_PORT, KEEPALIVE_SECONDS, RECONNECT_MAX_SECONDS, CONNECT_TIMEOUT_SECONDS }) {
            ParsedConfig c = ConfigReader.read(PID, with(key, value));
            noFinding(c);
            TunnelSpec s = c.spec();
            int read = key.equals(SERVER_PORT) ? s.serverPort()
                    : key.equals(KEEPALIVE_SECONDS) ? s.keepaliveSeconds()
                    : key.equals(RECONNECT_MAX_SECONDS) ? s.reconnectMaxSeconds() : s.connectTimeoutSeconds();
            assertEquals(expected, read, key);
        }
    }

    static Stream<Arguments> notAnInt() {
        return Stream.of(
                arguments("abc", "server.port \"abc\" is not a whole number"),
                arguments("22.0", "server.port \"22.0\" is not a whole number"),
                arguments("99999999999999999999", "\"99999999999999999999\" is not a whole number"),
                arguments(Long.MAX_VALUE, "server.port " + Long.MAX_VALUE + " is too large"),
                arguments("2147483648", "server.port 2147483648 is too large"),
                arguments((long) Integer.MIN_VALUE - 1, "server.port -2147483649 is too large"),
                arguments(22.5d, "server.port has a Double value \"22.5\""),
                arguments(22.0f, "server.port has a Float value \"22.0\""),
                arguments(Boolean.TRUE, "server.port has a Boolean value \"true\""));
    }

    @ParameterizedTest(name = "server.port = {0}")
    @MethodSource("notAnInt")
    void aServerPortThatIsNotAnIntIsATypeError(Object value, String fragment) {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_PORT, value));
        Finding f = onlyError(c, SERVER_PORT, "TYPE", fragment, "give a whole number");
        assertEquals(Finding.NO_MAPPING, f.mappingIndex());
        assertEquals(22, c.spec().serverPort(), "the default stands in for a value that cannot be converted");
    }

    @ParameterizedTest
    @ValueSource(strings = { KEEPALIVE_SECONDS, RECONNECT_MAX_SECONDS, CONNECT_TIMEOUT_SECONDS })
    void secondsThatAreNotAWholeNumber(String key) {
        onlyError(ConfigReader.read(PID, with(key, "soon")), key, "TYPE", key + " \"soon\" is not a whole number",
                "give a whole number");
        onlyError(ConfigReader.read(PID, with(key, 1.5d)), key, "TYPE", key + " has a Double value \"1.5\"");
        onlyError(ConfigReader.read(PID, with(key, 100_000_000_000L)), key, "TYPE", key + " 100000000000 is too large");
    }

    @ParameterizedTest
    @ValueSource(strings = { "yes", "no", "1", "on", "enabled" })
    void enabledThatIsNotABoolean(String v) {
        ParsedConfig c = ConfigReader.read(PID, with(ENABLED, v));
        onlyError(c, ENABLED, "TYPE", "enabled \"" + v + "\" is not a boolean", "write true or false");
        assertTrue(c.spec().enabled());
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
                arguments("single String", "L 1389:dc1.corp.local:389", List.of(two.get(0))),
                // none at all is read as an empty list; that mappings are required is a rule
                arguments("empty String[]", new String[0], List.of()),
                arguments("String[] of blanks", new String[] { "", " " }, List.of()),
                arguments("empty List", List.of(), List.of()),
                arguments("empty String", "", List.of()),
                arguments("only commas", " , ,", List.of()),
                arguments("only line breaks", "\n\n", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappingForms")
    void mappingsAreReadFromEveryForm(String form, Object value, List<PortMapping> expected) {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, value));
        noFinding(c);
        assertEquals(expected, c.spec().mappings());
    }

    @Test
    void aLabelContainingACommaSurvivesTheLineForm() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, "L 1389:dc1:389 # LDAP, primary\nL 1433:sql:1433"));
        assertEquals("LDAP, primary", c.spec().mappings().get(0).label());
        assertEquals(2, c.spec().mappings().size());
    }

    // ---- values that cannot be converted: one ERROR finding naming the property ----------------

    @Test
    void mappingsOfAnotherType() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, 1389));
        Finding f = onlyError(c, MAPPINGS, "TYPE");
        assertEquals("mappings has a Integer value: give a list of text entries", f.message());
        assertEquals(List.of(), c.spec().mappings());
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
        assertTrue(first.message().startsWith("mapping 2: mapping \"-L 1433:sql.corp.local:1433\""), first.message());
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
        Finding f = onlyError(c, MAPPINGS, "MAPPING_SYNTAX", "mapping 2:", "\"L 1433:sql:1433:1\"");
        assertEquals(1, f.mappingIndex());
    }

    @Test
    void aControlCharacterInAMappingIsReportedEscaped() {
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, new String[] { "L 1389:dc1:389 # LD\nAP" }));
        Finding f = onlyError(c, MAPPINGS, "MAPPING_SYNTAX", "control character (code 10)", "\"L 1389:dc1:389 # LD\\u000aAP\"");
        assertEquals(0, f.mappingIndex());
        assertTrue(f.message().chars().noneMatch(Character::isISOControl), f.message());
    }

    static Stream<Arguments> hostsWithControlCharacters() {
        return Stream.of(
                arguments("ssh.example.com\u0007", "server.host \"ssh.example.com\\u0007\" contains a control character", "remove it"),
                arguments("ssh\nexample.com", "\"ssh\\u000aexample.com\"", "remove it"),
                arguments("ssh\u0000", "\"ssh\\u0000\"", "remove it"),
                arguments("ssh\texample.com", "\"ssh\\u0009example.com\"", "remove it"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("hostsWithControlCharacters")
    void aControlCharacterInTheServerHostIsReportedEscaped(String host, String fragment, String fix) {
        ParsedConfig c = ConfigReader.read(PID, with(SERVER_HOST, host));
        Finding f = onlyError(c, SERVER_HOST, "CONTROL_CHARACTER", fragment, fix);
        assertTrue(f.message().chars().noneMatch(Character::isISOControl), "no raw control character: " + f.message());
        assertNull(c.spec().serverHost());
    }

    static Stream<Arguments> maxima() {
        return Stream.of(Arguments.of(SERVER_HOST, 255), Arguments.of(USERNAME, 256), Arguments.of(NAME, 200), Arguments.of(OWNER, 200),
                Arguments.of(PRIVATE_KEY_PATH, 4096), Arguments.of(FINGERPRINT, 100));
    }

    @ParameterizedTest(name = "{0} at most {1}")
    @MethodSource("maxima")
    void hugeStringsAreRefused(String key, int max) {
        String huge = "x".repeat(100_000);
        Finding f = onlyError(ConfigReader.read(PID, with(key, huge)), key, "TOO_LONG", key + " is 100000 characters long",
                "at most " + max);
        assertTrue(f.message().length() < 200, "the value is not repeated: " + f.message().length());
    }

    @ParameterizedTest(name = "{0} at most {1}")
    @MethodSource("maxima")
    void aStringOfTheLongestAcceptedLengthIsRead(String key, int max) {
        ParsedConfig c = ConfigReader.read(PID, with(key, "x".repeat(max)));
        assertTrue(c.findings().stream().noneMatch(f -> f.code().equals("TOO_LONG")), c.findings().toString());
        assertFalse(ConfigReader.read(PID, with(key, "x".repeat(max + 1))).findings().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { PASSWORD, PRIVATE_KEY_PASSPHRASE })
    void aHugeSecretIsRefusedWithoutQuotingIt(String key) {
        String huge = "s3cret".repeat(2_000_000);
        Finding f = onlyError(ConfigReader.read(PID, with(key, huge)), key, "TOO_LONG", key + " is 12000000 characters long",
                "at most 1024");
        assertFalse(f.message().contains("s3cret"), f.message());
        assertTrue(ConfigReader.read(PID, with(key, "s".repeat(1024))).findings().stream().noneMatch(x -> x.code().equals("TOO_LONG")));
    }

    @Test
    void aHugeLabelIsRefused() {
        String entry = "L 1389:dc1:389 # " + "l".repeat(10_000_000);
        Finding f = onlyError(ConfigReader.read(PID, with(MAPPINGS, new String[] { entry })), MAPPINGS, "TOO_LONG",
                "mapping 1 is 10000017 characters long", "at most 1024");
        assertTrue(f.message().length() < 200, f.message());
    }

    @Test
    void ahundredThousandUnreadableMappingsGiveABoundedNumberOfFindings() {
        String[] bad = new String[100_000];
        java.util.Arrays.fill(bad, "X nonsense");
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, bad));
        assertEquals(ConfigReader.MAX_MAPPING_FINDINGS + 1, c.findings().size(), "20 findings and one that counts the rest");
        Finding last = c.findings().get(c.findings().size() - 1);
        assertEquals("MORE_FINDINGS", last.code());
        assertEquals("... and 99,980 more", last.message());
        assertTrue(last.isError());
    }

    @Test
    void theContainersFingerprintRequirementIsAFloorAConfigurationCannotLower() {
        Map<String, Object> p = valid();
        p.put(FINGERPRINT_REQUIRED, "false");
        assertTrue(ConfigReader.read(PID, p, true).spec().fingerprintRequired(), "the container requires it: false is ignored");
        assertFalse(ConfigReader.read(PID, p, false).spec().fingerprintRequired());
        p.put(FINGERPRINT_REQUIRED, true);
        assertTrue(ConfigReader.read(PID, p, false).spec().fingerprintRequired(), "a configuration may raise it");
    }

    @Test
    void aHugeMappingsListIsReadWithoutFailing() {
        String[] many = new String[2000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "L " + (10_000 + i) + ":dc1:389";
        }
        ParsedConfig c = ConfigReader.read(PID, with(MAPPINGS, many));
        noFinding(c);
        assertEquals(2000, c.spec().mappings().size());
    }

    @Test
    void aLongMappingEntryIsQuotedShortened() {
        String entry = "L 1389:" + "d".repeat(1000) + ":389";
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
        noFinding(c);
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
    void everyConversionProblemIsReportedAtOnce() {
        Map<String, Object> p = new HashMap<>();
        p.put(NAME, "customer\tad");
        p.put(ENABLED, "yes");
        p.put(OWNER, "o".repeat(5000));
        p.put(SERVER_HOST, new String[] { "a.example", "b.example" });
        p.put(SERVER_PORT, "abc");
        p.put(USERNAME, 42);
        p.put(PASSWORD, PASSWORD_VALUE.toCharArray());
        p.put(PRIVATE_KEY_PATH, "/keys/id\u0000rsa");
        p.put(PRIVATE_KEY_PASSPHRASE, List.of(PASSPHRASE_VALUE));
        p.put(FINGERPRINT, 256);
        p.put(MAPPINGS, new String[] { "L 1389:dc1:389", "L 1389", "X 1:a:1" });
        p.put(KEEPALIVE_SECONDS, "soon");
        p.put(RECONNECT_MAX_SECONDS, 1.5d);
        p.put(CONNECT_TIMEOUT_SECONDS, Long.MAX_VALUE);
        ParsedConfig c = ConfigReader.read(PID, p);
        List<String> reported = errors(c).stream().map(f -> f.property() + " " + f.code()).collect(Collectors.toList());
        assertEquals(List.of(
                NAME + " CONTROL_CHARACTER",
                ENABLED + " TYPE",
                OWNER + " TOO_LONG",
                SERVER_HOST + " TYPE",
                SERVER_PORT + " TYPE",
                USERNAME + " TYPE",
                PASSWORD + " TYPE",
                PRIVATE_KEY_PATH + " CONTROL_CHARACTER",
                PRIVATE_KEY_PASSPHRASE + " TYPE",
                FINGERPRINT + " TYPE",
                MAPPINGS + " MAPPING_SYNTAX",
                MAPPINGS + " MAPPING_SYNTAX",
                KEEPALIVE_SECONDS + " TYPE",
                RECONNECT_MAX_SECONDS + " TYPE",
                CONNECT_TIMEOUT_SECONDS + " TYPE"), reported, c.findings().toString());
        assertEquals(c.findings().size(), reported.size(), "every finding is an error");
        assertNull(c.credentials());
        assertEquals(List.of(PortMapping.parse("L 1389:dc1:389")), c.spec().mappings());
    }

    @Test
    void aDefectWhileReadingIsReportedNotThrown() {
        Map<String, Object> broken = new HashMap<>(valid()) {
            private static final long serialVersionUID = 1L;

            @Override
            public Object get(Object key) {
                if (MAPPINGS.equals(key)) {
                    throw new IllegalStateException("defect");
                }
                return super.get(key);
            }
        };
        ParsedConfig c = ConfigReader.read(PID, broken);
        Finding f = onlyError(c, NAME, "INTERNAL", "could not be read (IllegalStateException)", "report this as a bug");
        assertEquals(PID, c.spec().id());
        assertEquals("customer-ad", c.spec().name());
        assertFalse(f.message().contains(PASSWORD_VALUE), f.message());
    }

    // ---- the rules are not the reader's --------------------------------------------------------

    /**
     * Required fields, host syntax, port and interval ranges, the fingerprint's form, credentials,
     * the key file and the mappings' own rules belong to the validation bundle alone. The reader
     * reports none of them and keeps every value as the user wrote it, so the rules judge exactly
     * that.
     */
    @Test
    void rulesAreLeftToTheValidatorAndValuesReachItAsWritten() {
        Path missingKey = tmp.resolve("no-such-key");
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, "ssh corp");
        p.put(SERVER_PORT, 70000);
        p.put(KEEPALIVE_SECONDS, 0);
        p.put(RECONNECT_MAX_SECONDS, 100_000);
        p.put(CONNECT_TIMEOUT_SECONDS, "-1");
        p.put(FINGERPRINT, " SHA256:short ");
        p.put(PRIVATE_KEY_PATH, missingKey.toString());
        // no username, no password, no mappings
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        TunnelSpec s = c.spec();
        assertAll(
                () -> assertEquals("ssh corp", s.serverHost()),
                () -> assertEquals(70000, s.serverPort()),
                () -> assertEquals(0, s.keepaliveSeconds()),
                () -> assertEquals(100_000, s.reconnectMaxSeconds()),
                () -> assertEquals(-1, s.connectTimeoutSeconds()),
                () -> assertEquals("SHA256:short", s.fingerprint()),
                () -> assertEquals(missingKey.toString(), s.privateKeyPath()),
                () -> assertNull(s.username()),
                () -> assertFalse(s.passwordSet()),
                () -> assertEquals(List.of(), s.mappings()));
        assertEquals(new Credentials(null, null, missingKey, null), c.credentials(), "the key file is not read here");

        // no server.host, no credentials at all, and mappings that break the mapping rules
        Map<String, Object> q = new HashMap<>();
        q.put(USERNAME, "svc-tunnel");
        q.put(MAPPINGS, new String[] { "L 389:dc1:389", "L 389:dc1:389", "L *:1712:meta:1712", "R 80:localhost:8080" });
        ParsedConfig d = ConfigReader.read(PID, q);
        noFinding(d);
        assertNull(d.spec().serverHost());
        assertNull(d.spec().privateKeyPath());
        assertEquals(4, d.spec().mappings().size(), "duplicates, privileged ports and gateways are kept for the rules");
        assertEquals(new Credentials("svc-tunnel", null, null, null), d.credentials());
    }

    // ---- credentials ---------------------------------------------------------------------------

    @Test
    void aKeyAndAPasswordTogetherAreBothCarried() {
        Path key = tmp.resolve("id_ed25519");
        Map<String, Object> p = valid();
        p.put(PRIVATE_KEY_PATH, key.toString());
        p.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        assertTrue(c.spec().passwordSet());
        assertTrue(c.spec().passphraseSet());
        assertEquals(key.toString(), c.spec().privateKeyPath());
        assertEquals(key, c.credentials().keyFile());
        assertEquals(new Credentials("svc-tunnel", PASSWORD_VALUE, key, PASSPHRASE_VALUE), c.credentials());
        assertEquals("Credentials[svc-tunnel, password ****, key " + key + " with passphrase ****]", c.credentials().toString());
    }

    @Test
    void aKeyWithoutPasswordCarriesOnlyTheKey() {
        Path key = tmp.resolve("id_rsa");
        Map<String, Object> p = with(PASSWORD, null);
        p.put(PRIVATE_KEY_PATH, key.toString());
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        assertFalse(c.spec().passwordSet());
        assertFalse(c.spec().passphraseSet());
        assertEquals(new Credentials("svc-tunnel", null, key, null), c.credentials());
        assertEquals("Credentials[svc-tunnel, key " + key + "]", c.credentials().toString());
    }

    @Test
    void emptySecretsCountAsAbsent() {
        Map<String, Object> p = with(PASSWORD, "");
        p.put(PRIVATE_KEY_PASSPHRASE, "");
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        assertFalse(c.spec().passwordSet());
        assertFalse(c.spec().passphraseSet());
        assertEquals(new Credentials("svc-tunnel", null, null, null), c.credentials());
    }

    @Test
    void secretsAreTakenExactlyAsWritten() {
        Map<String, Object> p = with(PASSWORD, "  spaced out  ");
        ParsedConfig c = ConfigReader.read(PID, p);
        noFinding(c);
        assertEquals(new Credentials("svc-tunnel", "  spaced out  ", null, null), c.credentials(), "a secret is not stripped");
        assertNotEquals(new Credentials("svc-tunnel", "spaced out", null, null), c.credentials());
    }

    @Test
    void credentialsNeverShowTheSecrets() {
        Map<String, Object> p = valid();
        p.put(PRIVATE_KEY_PATH, tmp.resolve("id_ed25519").toString());
        p.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        String shown = ConfigReader.read(PID, p).credentials().toString();
        assertFalse(shown.contains(PASSWORD_VALUE), shown);
        assertFalse(shown.contains(PASSPHRASE_VALUE), shown);
        assertTrue(shown.contains("password ****"), shown);
        assertTrue(shown.contains("with passphrase ****"), shown);

        String passwordOnly = ConfigReader.read(PID, valid()).credentials().toString();
        assertEquals("Credentials[svc-tunnel, password ****]", passwordOnly);
    }

    @Test
    void changedSecretsOrKeyGiveUnequalCredentials() {
        Map<String, Object> withKey = valid();
        withKey.put(PRIVATE_KEY_PATH, tmp.resolve("id_ed25519").toString());
        withKey.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        Credentials a = ConfigReader.read(PID, withKey).credentials();
        Credentials b = ConfigReader.read(PID, new HashMap<>(withKey)).credentials();
        assertEquals(a, b, "the same configuration gives equal credentials (no reconnect)");
        assertEquals(a.hashCode(), b.hashCode());

        Map<String, Object> otherPassword = new HashMap<>(withKey);
        otherPassword.put(PASSWORD, "another");
        Map<String, Object> otherPassphrase = new HashMap<>(withKey);
        otherPassphrase.put(PRIVATE_KEY_PASSPHRASE, "another");
        Map<String, Object> otherKey = new HashMap<>(withKey);
        otherKey.put(PRIVATE_KEY_PATH, tmp.resolve("id_rsa").toString());
        Map<String, Object> otherUser = new HashMap<>(withKey);
        otherUser.put(USERNAME, "svc-other");
        for (Map<String, Object> changed : List.of(otherPassword, otherPassphrase, otherKey, otherUser)) {
            assertNotEquals(a, ConfigReader.read(PID, changed).credentials(), changed.toString());
        }
    }

    // ---- secrets in findings -------------------------------------------------------------------

    @Test
    void secretsNeverAppearInFindingsOrTheSpec() {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, "bad\u0007host");
        p.put(SERVER_PORT, "abc");
        p.put(USERNAME, "svc");
        p.put(PASSWORD, PASSWORD_VALUE);
        p.put(PRIVATE_KEY_PATH, tmp.resolve("missing").toString());
        p.put(PRIVATE_KEY_PASSPHRASE, PASSPHRASE_VALUE);
        p.put(FINGERPRINT, "bad");
        p.put(MAPPINGS, new String[] { "L 0:x:1" });
        ParsedConfig c = ConfigReader.read(PID, p);
        assertEquals(List.of(SERVER_HOST, SERVER_PORT, MAPPINGS),
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
        assertEquals(List.of(PASSWORD, PRIVATE_KEY_PASSPHRASE),
                errors.stream().map(Finding::property).collect(Collectors.toList()), c.findings().toString());
        assertEquals(List.of("TYPE", "TYPE"), errors.stream().map(Finding::code).collect(Collectors.toList()));
        assertEquals("password is not text: give the secret as text", errors.get(0).message());
        assertEquals("private.key.passphrase is not text: give the secret as text", errors.get(1).message());
        for (Finding f : c.findings()) {
            assertFalse(f.toString().contains(PASSWORD_VALUE) || f.toString().contains(new String(secret)), f.toString());
            assertFalse(f.toString().contains(PASSPHRASE_VALUE), f.toString());
        }
        assertNull(c.credentials());
    }
}
