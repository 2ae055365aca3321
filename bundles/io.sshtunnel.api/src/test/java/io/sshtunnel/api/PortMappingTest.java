package io.sshtunnel.api;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PortMappingTest {

    // ---- valid entries -------------------------------------------------------------------------

    /**
     * entry, kind, bindHost (as stored), bindPort, targetHost, targetPort, label, gateway,
     * effectiveBindHost, format()
     */
    static Stream<Arguments> valid() {
        return Stream.of(
                // the seed's examples
                arguments("L 1389:dc1.corp.local:389 # LDAP", MappingKind.L, null, 1389, "dc1.corp.local", 389, "LDAP", false,
                        "127.0.0.1", "L 1389:dc1.corp.local:389 # LDAP"),
                arguments("L 1433:sql.corp.local:1433", MappingKind.L, null, 1433, "sql.corp.local", 1433, null, false,
                        "127.0.0.1", "L 1433:sql.corp.local:1433"),
                arguments("L *:1712:metadir.corp.local:1712", MappingKind.L, "*", 1712, "metadir.corp.local", 1712, null, true,
                        "0.0.0.0", "L *:1712:metadir.corp.local:1712"),
                arguments("R *:9100:localhost:9100", MappingKind.R, "*", 9100, "localhost", 9100, null, true,
                        "*", "R *:9100:localhost:9100"),
                arguments("R *:9999:localhost:9999", MappingKind.R, "*", 9999, "localhost", 9999, null, true,
                        "*", "R *:9999:localhost:9999"),
                arguments("R 2222:localhost:22", MappingKind.R, null, 2222, "localhost", 22, null, false,
                        "localhost", "R 2222:localhost:22"),
                // empty bind address = wildcard
                arguments("L :8080:web.corp.local:80", MappingKind.L, "*", 8080, "web.corp.local", 80, null, true,
                        "0.0.0.0", "L *:8080:web.corp.local:80"),
                arguments("R :8080:localhost:80", MappingKind.R, "*", 8080, "localhost", 80, null, true,
                        "*", "R *:8080:localhost:80"),
                // explicit IPv4 bind addresses: loopback is not a gateway, anything else is
                arguments("L 127.0.0.1:1389:dc1:389", MappingKind.L, "127.0.0.1", 1389, "dc1", 389, null, false,
                        "127.0.0.1", "L 127.0.0.1:1389:dc1:389"),
                arguments("L 10.1.2.3:1389:dc1:389", MappingKind.L, "10.1.2.3", 1389, "dc1", 389, null, true,
                        "10.1.2.3", "L 10.1.2.3:1389:dc1:389"),
                arguments("R 192.168.7.1:2222:localhost:22", MappingKind.R, "192.168.7.1", 2222, "localhost", 22, null, true,
                        "192.168.7.1", "R 192.168.7.1:2222:localhost:22"),
                arguments("R localhost:2222:localhost:22", MappingKind.R, "localhost", 2222, "localhost", 22, null, false,
                        "localhost", "R localhost:2222:localhost:22"),
                // bracketed IPv6 bind addresses and targets (stored without brackets, lower case)
                arguments("L [::1]:1389:dc1:389", MappingKind.L, "::1", 1389, "dc1", 389, null, false,
                        "::1", "L [::1]:1389:dc1:389"),
                arguments("L [2001:DB8::5]:1389:dc1:389", MappingKind.L, "2001:db8::5", 1389, "dc1", 389, null, true,
                        "2001:db8::5", "L [2001:db8::5]:1389:dc1:389"),
                arguments("L 1389:[2001:db8::10]:389 # v6 DC", MappingKind.L, null, 1389, "2001:db8::10", 389, "v6 DC", false,
                        "127.0.0.1", "L 1389:[2001:db8::10]:389 # v6 DC"),
                arguments("R [::1]:2222:[::1]:22", MappingKind.R, "::1", 2222, "::1", 22, null, false,
                        "::1", "R [::1]:2222:[::1]:22"),
                arguments("R *:8443:[fe80::1%2]:443", MappingKind.R, "*", 8443, "fe80::1%2", 443, null, true,
                        "*", "R *:8443:[fe80::1%2]:443"),
                // the letter in either case, any whitespace after it, labels with spaces and '#'
                arguments("l 1389:dc1:389", MappingKind.L, null, 1389, "dc1", 389, null, false,
                        "127.0.0.1", "L 1389:dc1:389"),
                arguments("r *:9100:localhost:9100", MappingKind.R, "*", 9100, "localhost", 9100, null, true,
                        "*", "R *:9100:localhost:9100"),
                arguments("  L\t 1389:dc1:389   #   Active Directory (site A)  ", MappingKind.L, null, 1389, "dc1", 389,
                        "Active Directory (site A)", false, "127.0.0.1", "L 1389:dc1:389 # Active Directory (site A)"),
                arguments("L 1389:dc1:389#LDAP", MappingKind.L, null, 1389, "dc1", 389, "LDAP", false,
                        "127.0.0.1", "L 1389:dc1:389 # LDAP"),
                arguments("L 1389:dc1:389 # LDAP # primary", MappingKind.L, null, 1389, "dc1", 389, "LDAP # primary", false,
                        "127.0.0.1", "L 1389:dc1:389 # LDAP # primary"),
                arguments("L 1389:dc1:389 #   ", MappingKind.L, null, 1389, "dc1", 389, null, false,
                        "127.0.0.1", "L 1389:dc1:389"),
                // port bounds and host name characters
                arguments("L 1:a:65535", MappingKind.L, null, 1, "a", 65535, null, false,
                        "127.0.0.1", "L 1:a:65535"),
                arguments("L 65535:my_host-01.example.com:1", MappingKind.L, null, 65535, "my_host-01.example.com", 1, null, false,
                        "127.0.0.1", "L 65535:my_host-01.example.com:1"),
                arguments("L 00389:dc1:0389", MappingKind.L, null, 389, "dc1", 389, null, false,
                        "127.0.0.1", "L 389:dc1:389"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidEntries(String entry, MappingKind kind, String bindHost, int bindPort, String targetHost, int targetPort,
            String label, boolean gateway, String effectiveBindHost, String formatted) {
        PortMapping m = PortMapping.parse(entry);
        assertAll(entry,
                () -> assertEquals(kind, m.kind(), "kind"),
                () -> assertEquals(bindHost, m.bindHost(), "bindHost"),
                () -> assertEquals(bindPort, m.bindPort(), "bindPort"),
                () -> assertEquals(targetHost, m.targetHost(), "targetHost"),
                () -> assertEquals(targetPort, m.targetPort(), "targetPort"),
                () -> assertEquals(label, m.label(), "label"),
                () -> assertEquals(gateway, m.isGateway(), "isGateway"),
                () -> assertEquals(effectiveBindHost, m.effectiveBindHost(), "effectiveBindHost"),
                () -> assertEquals(formatted, m.format(), "format"),
                () -> assertEquals(formatted, m.toString(), "toString"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void formatRoundTripsAndKeepsTheLabel(String entry) {
        PortMapping m = PortMapping.parse(entry);
        PortMapping again = PortMapping.parse(m.format());
        assertEquals(m, again);
        assertEquals(m.hashCode(), again.hashCode());
        assertEquals(m.label(), again.label());
        assertEquals(m.bindHost(), again.bindHost());
        assertEquals(m.targetHost(), again.targetHost());
        assertEquals(m.format(), again.format(), "format is a fixed point");
    }

    @Test
    void equalityIgnoresTheLabelAndTheCaseOfTheTargetHost() {
        PortMapping a = PortMapping.parse("L 1389:DC1.corp.local:389 # LDAP");
        PortMapping b = PortMapping.parse("L 1389:dc1.corp.local:389 # directory");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("LDAP", a.label());
        assertEquals("directory", b.label());
    }

    @Test
    void mappingsThatDifferInKindBindOrPortsAreNotEqual() {
        PortMapping base = PortMapping.parse("L 1389:dc1:389");
        assertNotEquals(base, PortMapping.parse("R 1389:dc1:389"));
        assertNotEquals(base, PortMapping.parse("L *:1389:dc1:389"));
        assertNotEquals(base, PortMapping.parse("L 127.0.0.1:1389:dc1:389"), "an absent bind address is not the same as an explicit one");
        assertNotEquals(base, PortMapping.parse("L 1390:dc1:389"));
        assertNotEquals(base, PortMapping.parse("L 1389:dc2:389"));
        assertNotEquals(base, PortMapping.parse("L 1389:dc1:636"));
    }

    @Test
    void withLabelReplacesOnlyTheLabel() {
        PortMapping m = PortMapping.parse("L *:1712:metadir.corp.local:1712");
        PortMapping labelled = m.withLabel("  Metadirectory ");
        assertEquals("Metadirectory", labelled.label());
        assertEquals(m, labelled);
        assertEquals("L *:1712:metadir.corp.local:1712 # Metadirectory", labelled.format());
        assertNull(labelled.withLabel(" ").label());
    }

    @Test
    void constructorTreatsAnEmptyBindHostAsTheWildcardAndNullAsAbsent() {
        PortMapping wildcard = new PortMapping(MappingKind.R, "", 9100, "localhost", 9100, null);
        PortMapping absent = new PortMapping(MappingKind.R, null, 9100, "localhost", 9100, null);
        assertEquals(PortMapping.WILDCARD, wildcard.bindHost());
        assertTrue(wildcard.isGateway());
        assertNull(absent.bindHost());
        assertFalse(absent.isGateway());
        assertEquals("localhost", absent.effectiveBindHost());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, 65536, Integer.MAX_VALUE })
    void constructorRejectsPortsOutsideTheRange(int port) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PortMapping(MappingKind.L, null, port, "dc1", 389, null));
        assertTrue(e.getMessage().contains("port " + port), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> new PortMapping(MappingKind.L, null, 1389, "dc1", port, null));
        assertTrue(e2.getMessage().contains("hostport " + port), e2.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1" })
    void loopbackAddresses(String host) {
        assertTrue(PortMapping.isLoopback(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "0.0.0.0", "10.0.0.1", "::", "2001:db8::1", "ssh.example.com", "localhost.example.com" })
    void nonLoopbackAddresses(String host) {
        assertFalse(PortMapping.isLoopback(host), host);
    }

    // ---- invalid entries -----------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "   ", "\t" })
    void emptyEntriesAreRejectedWithTheSyntax(String entry) {
        MappingSyntaxException e = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse(entry));
        assertTrue(e.getMessage().startsWith("mapping is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("L [bind_address:]port:host:hostport"), e.getMessage());
    }

    /** entry, a fragment the message must contain besides the quoted entry. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                // no or wrong letter
                arguments("1389:dc1.corp.local:389", "must start with the letter L (local), R (remote) or D (dynamic, SOCKS), not \"1389:dc1.corp.local:389\""),
                arguments("1389:dc1.corp.local:389 # LDAP", "must start with the letter L"),
                arguments("-L 1389:dc1:389", "write \"L 1389:dc1:389\" without the dash"),
                arguments("-R 2222:localhost:22", "write \"R 2222:localhost:22\" without the dash"),
                arguments("-r 2222:localhost:22", "write \"R 2222:localhost:22\" without the dash"),
                arguments("X 1389:dc1:389", "not \"X\""),
                arguments("Local 1389:dc1:389", "not \"Local\""),
                arguments("# LDAP", "has a label but no mapping"),
                arguments("L", "has no ports after the letter L"),
                arguments("R   # label", "has no ports after the letter R"),
                // spaces and field counts
                arguments("L 1389 : dc1 : 389", "has spaces inside"),
                arguments("L 1389:dc1:389 extra", "has spaces inside \"1389:dc1:389 extra\""),
                arguments("L 1389", "has 1 colon-separated fields, expected 3 or 4"),
                arguments("L 1389:389", "has 2 colon-separated fields, expected 3 or 4"),
                arguments("L 1:2:3:4:5", "has 5 colon-separated fields, expected 3 or 4"),
                arguments("L ::1:1389:dc1:389", "put IPv6 addresses in brackets"),
                arguments("L 1389:2001:db8::10:389", "colon-separated fields, expected 3 or 4"),
                // ports
                arguments("L 0:dc1:389", "has port 0, outside 1-65535"),
                arguments("L 1389:dc1:0", "has hostport 0, outside 1-65535"),
                arguments("L 65536:dc1:389", "has port 65536, outside 1-65535"),
                arguments("R 2222:localhost:65536", "has hostport 65536, outside 1-65535"),
                arguments("L 99999:dc1:389", "has port 99999, outside 1-65535"),
                arguments("L abc:dc1:389", "has port \"abc\", which is not a number"),
                arguments("L 1389:dc1:ldap", "has hostport \"ldap\", which is not a number"),
                arguments("L -1:dc1:389", "has port \"-1\", which is not a number"),
                arguments("L +1389:dc1:389", "has port \"+1389\", which is not a number"),
                arguments("L 1e3:dc1:389", "has port \"1e3\""),
                arguments("L 12345678901:dc1:389", "has port \"12345678901\""),
                arguments("L :dc1:389", "has an empty port"),
                arguments("L 1389:dc1:", "has an empty hostport"),
                arguments("L \u0661\u0662:dc1:389", "which is not a number"),
                // hosts
                arguments("L 1389::389", "has an empty host"),
                arguments("L 1389:*:389", "has host \"*\", which only a bind address may be"),
                arguments("L 1389:dc1!:389", "has host \"dc1!\", which is not a host name or IP address"),
                arguments("L 1389:dc/1:389", "has host \"dc/1\""),
                arguments("L 1389:dc1$(reboot):389", "has host \"dc1$(reboot)\""),
                arguments("L 1389:\"dc1\":389", "which is not a host name or IP address"),
                arguments("L a@b:1389:dc1:389", "has bind address \"a@b\", which is not a host name or IP address"),
                arguments("L 1389:" + "a".repeat(254) + ":389", "which is not a host name or IP address"),
                // brackets
                arguments("L [::1:1389:dc1:389", "has a \"[\" without \"]\""),
                arguments("L 1389:[2001:db8::10:389", "has a \"[\" without \"]\""),
                arguments("L ::1]:1389:dc1:389", "has a \"]\" without \"[\""),
                arguments("L 1389:dc1]:389", "has a \"]\" without \"[\""),
                arguments("L 1389:a[::1]:389", "has a misplaced \"[\""),
                arguments("L [[::1]]:1389:dc1:389", "has a misplaced \"[\""),
                arguments("L 1389:[dc1]:389", "has host \"[dc1]\", which is not an IPv6 address"),
                arguments("L 1389:[]:389", "has host \"[]\", which is not an IPv6 address"),
                arguments("L [::1]x:1389:dc1:389", "has bind address \"[::1]x\", which is not an IPv6 address"),
                arguments("L [zz::1]:1389:dc1:389", "has bind address \"[zz::1]\", which is not an IPv6 address"),
                arguments("L 1389:[::1]:[22]", "has hostport \"[22]\", which is not a number"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void invalidEntriesAreRejectedQuotingTheEntry(String entry, String expected) {
        MappingSyntaxException e = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse(entry));
        String msg = e.getMessage();
        String e0 = entry.strip();
        String quoted = e0.length() <= 200 ? e0 : e0.substring(0, 200) + "... (" + e0.length() + " characters)";
        assertTrue(msg.startsWith("mapping \"" + quoted + "\" "), "quotes the entry: " + msg);
        assertTrue(msg.contains(expected), "expected <" + expected + "> in: " + msg);
        String after = msg.substring(("mapping \"" + quoted + "\" ").length());
        assertTrue(after.contains(": ") && !after.endsWith(": "), "says what is wrong, then what to do: " + msg);
    }

    @ParameterizedTest(name = "[{index}] code {1}")
    @MethodSource("controlCharacters")
    void controlCharactersAreRejectedAndShownEscaped(String entry, int code, String shown) {
        MappingSyntaxException e = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse(entry));
        String msg = e.getMessage();
        assertTrue(msg.contains("contains a control character (code " + code + ")"), msg);
        assertTrue(msg.contains("\"" + shown + "\""), "quotes the entry with the character escaped: " + msg);
        assertTrue(msg.chars().noneMatch(c -> Character.isISOControl(c)),
                "the message itself must not carry the control character (it ends up in logs): " + msg.replace("\n", "\\n"));
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                arguments("L 1389:dc1\u0000:389", 0, "L 1389:dc1\\u0000:389"),
                arguments("L 1389:dc\u00071:389", 7, "L 1389:dc\\u00071:389"),
                arguments("L 1389:dc1:389 # LD\nAP", 10, "L 1389:dc1:389 # LD\\u000aAP"),
                arguments("L 1389:dc1:389\r\nINFO forged log line", 13, "L 1389:dc1:389\\u000d\\u000aINFO forged log line"),
                arguments("R\u001b[31m 2222:localhost:22", 27, "R\\u001b[31m 2222:localhost:22"),
                arguments("L 1389:dc1:389\u007f", 127, "L 1389:dc1:389\\u007f"));
    }

    @Test
    void aVeryLongEntryIsQuotedShortened() {
        String entry = "L 1389:" + "d".repeat(100_000) + ":389";
        MappingSyntaxException e = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse(entry));
        assertTrue(e.getMessage().startsWith("mapping \"" + entry.substring(0, 200) + "... (100011 characters)\" has host \""),
                e.getMessage().substring(0, 300));
        assertTrue(e.getMessage().length() < 100_000, "the message repeats the whole entry: " + e.getMessage().length());
    }

    @Test
    void aTabBetweenTheLetterAndTheFieldsIsNotAControlCharacterError() {
        assertEquals(PortMapping.parse("L 1389:dc1:389"), PortMapping.parse("L\t1389:dc1:389"));
    }

    @Test
    void aDynamicMappingIsASocksPortWithoutATarget() {
        PortMapping d = PortMapping.parse("D 1080 # SOCKS");
        assertEquals(MappingKind.D, d.kind());
        assertEquals(1080, d.bindPort());
        assertEquals("127.0.0.1", d.effectiveBindHost());
        assertEquals(null, d.targetHost());
        assertEquals(0, d.targetPort());
        assertEquals("SOCKS", d.label());
        assertFalse(d.isGateway());
        assertEquals("D 1080 # SOCKS", d.format());
        PortMapping g = PortMapping.parse("d *:1080");
        assertTrue(g.isGateway());
        assertEquals("0.0.0.0", g.effectiveBindHost());
        assertEquals("D *:1080", g.format());
        assertEquals(PortMapping.parse("D [::1]:1080"), PortMapping.parse(PortMapping.parse("D [::1]:1080").format()));
        assertNotEquals(PortMapping.parse("D 1080"), PortMapping.parse("L 1080:h:80"));
        assertEquals("Only this machine can reach every host and port the SSH server reaches, through the SOCKS proxy at"
                + " 127.0.0.1:1080.", d.explain(java.util.Locale.ENGLISH));
        assertTrue(g.explain(java.util.Locale.GERMAN).contains("SOCKS-Proxy an Port 1080") && g.explain(java.util.Locale.GERMAN)
                .endsWith("Dritte können das nutzen."), g.explain(java.util.Locale.GERMAN));
        MappingSyntaxException e = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse("D 1080:dc1:389"));
        assertEquals("mapping \"D 1080:dc1:389\" has 3 colon-separated fields, expected 1 or 2: write \"D [bind_address:]port\"",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PortMapping(MappingKind.D, null, 1080, "h", 80, null));
        MappingSyntaxException letter = assertThrows(MappingSyntaxException.class, () -> PortMapping.parse("X 1080"));
        assertTrue(letter.getMessage().contains("L (local), R (remote) or D (dynamic, SOCKS)"), letter.getMessage());
        assertTrue(letter.getMessage(java.util.Locale.GERMAN).contains("oder D (dynamisch, SOCKS)"), letter.getMessage(java.util.Locale.GERMAN));
    }

    @Test
    void mappingSyntaxExceptionIsAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("L 0:a:1"));
    }

    // ---- service=ID -----------------------------------------------------------------------------

    @org.junit.jupiter.api.Test
    void aServiceIdAfterThePortsIsReadAndWrittenBack() {
        PortMapping m = PortMapping.parse("L 1389:dc1.corp.local:389 service=ldap # Active Directory");
        assertEquals("ldap", m.service());
        assertEquals("Active Directory", m.label());
        assertEquals(1389, m.bindPort());
        assertEquals("L 1389:dc1.corp.local:389 service=ldap # Active Directory", m.format());
        assertEquals(m, PortMapping.parse("L 1389:dc1.corp.local:389"), "the service id does not make it another forward");
        assertEquals("R *:9100:localhost:9100 service=prometheus", PortMapping.parse("R  *:9100:localhost:9100   service=prometheus ").format());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "L 1389:dc1:389 service=LDAP", "L 1389:dc1:389 service=",
            "L 1389:dc1:389 service=a/b", "L 1389:dc1:389 service=ldap service=ldaps" })
    void aBadServiceIdIsASyntaxErrorSayingHowToWriteIt(String entry) {
        MappingSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(MappingSyntaxException.class, () -> PortMapping.parse(entry));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("service"), e.getMessage());
    }
}
