package io.sshtunnel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link PortMapping#parse(String)} and {@link PortMapping#format()} for any input. */
class PortMappingProperties {

    // ---- parse: a mapping or a MappingSyntaxException, nothing else ------------------------------

    @Property
    void anyStringParsesOrIsASyntaxError(@ForAll String entry) {
        assertParsesOrIsASyntaxError(entry);
    }

    /** Strings made of the pieces of real entries, so that many get far into the parser. */
    @Property
    void anyArrangementOfMappingPiecesParsesOrIsASyntaxError(@ForAll("nearMisses") String entry) {
        assertParsesOrIsASyntaxError(entry);
    }

    @Property(tries = 200)
    void hugeEntriesGiveShortMessages(@ForAll("hugeEntries") String entry) {
        assertParsesOrIsASyntaxError(entry);
    }

    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<String> pieces = Arbitraries.of("L", "R", "l", "r", "-L", "X", " ", "  ", "\t", "\n", "\u0000", "\u00a0", ":", "::",
                "[", "]", "[::1]", "[fe80::1%2]", "*", "#", " # label", "0", "1", "22", "389", "1389", "65535", "65536", "99999",
                "0389", "-1", "1234567890", "localhost", "dc1.corp.local", "127.0.0.1", "::1", "b\u00fccher", "h\u00e4st",
                "a b", " service=ldap", "service=", " service=LDAP", "\u2003", "\ud83d\ude00", "\ud800", "%", ".", "-", "_", ",");
        return pieces.list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> hugeEntries() {
        Arbitrary<String> filler = Arbitraries.strings().all().ofMinLength(1000).ofMaxLength(20000);
        return Arbitraries.oneOf(filler, filler.map(s -> "L " + s), filler.map(s -> "L 1389:" + s + ":389"),
                filler.map(s -> "L 1389:dc1:389 # " + s), filler.map(s -> s + " L 1389:dc1:389"));
    }

    private static void assertParsesOrIsASyntaxError(String entry) {
        PortMapping m;
        try {
            m = PortMapping.parse(entry);
        } catch (MappingSyntaxException e) {
            String message = e.getMessage();
            assertNotNull(message);
            assertTrue(message.startsWith("mapping "), message);
            assertTrue(message.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t'), () -> "escaped: " + message);
            assertTrue(message.length() < 2000, () -> "the entry is quoted shortened: " + message.length() + " characters");
            return;
        }
        // whatever parse accepts, it writes back in a form it reads as the same mapping
        assertNotNull(m);
        PortMapping again = PortMapping.parse(m.format());
        assertEquals(m, again);
        assertEquals(m.label(), again.label());
        assertEquals(m.service(), again.service());
        assertEquals(m.format(), again.format());
    }

    // ---- format and parse round-trip ---------------------------------------------------------

    @Property
    void validMappingsRoundTripThroughFormatAndParse(@ForAll("validMappings") PortMapping m) {
        String text = m.format();
        PortMapping parsed = PortMapping.parse(text);
        assertEquals(m, parsed, text);
        assertEquals(m.hashCode(), parsed.hashCode(), text);
        assertEquals(m.kind(), parsed.kind());
        assertEquals(m.bindHost(), parsed.bindHost(), text);
        assertEquals(m.bindPort(), parsed.bindPort());
        assertTrue(m.targetHost() == null ? parsed.targetHost() == null : m.targetHost().equalsIgnoreCase(parsed.targetHost()), text);
        assertEquals(m.targetPort(), parsed.targetPort());
        assertEquals(m.label(), parsed.label(), text);
        assertEquals(m.service(), parsed.service(), text);
        assertEquals(m.isGateway(), parsed.isGateway(), text);
        assertEquals(m.effectiveBindHost(), parsed.effectiveBindHost(), text);
        assertEquals(text, parsed.format(), "format is a fixed point");
    }

    @Provide
    Arbitrary<PortMapping> validMappings() {
        Arbitrary<MappingKind> kinds = Arbitraries.of(MappingKind.class);
        Arbitrary<String> bindHosts = Arbitraries.of("*", "127.0.0.1", "192.0.2.7", "::1", "fe80::1").injectNull(0.3);
        Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
        // a host name starts with a letter, digit or underscore; dots and dashes may follow
        Arbitrary<String> names = net.jqwik.api.Combinators.combine(
                Arbitraries.strings().alpha().numeric().withChars('_').ofLength(1),
                Arbitraries.strings().alpha().numeric().withChars('.', '-', '_').ofMaxLength(252)).as((a, b) -> a + b);
        Arbitrary<String> targets = Arbitraries.oneOf(names, Arbitraries.of("localhost", "dc1.corp.local", "10.1.2.3", "::1",
                "2001:db8::10", "fe80::1%2", "::ffff:192.0.2.1"));
        // a label: any text without control characters (a '#' inside is fine: only the first one starts the label)
        Arbitrary<String> labels = Arbitraries.strings().all().ofMaxLength(40)
                .map(s -> s.chars().filter(c -> !Character.isISOControl(c))
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())
                .injectNull(0.3);
        Arbitrary<String> services = Arbitraries.of("ldap", "ldap-gc", "my.templates_2", "x").injectNull(0.5);
        return Combinators.combine(kinds, bindHosts, ports, targets, ports, labels, services)
                .as((kind, bind, port, target, targetPort, label, service) -> kind == MappingKind.D
                        ? new PortMapping(kind, bind, port, null, 0, label, service)
                        : new PortMapping(kind, bind, port, target, targetPort, label, service));
    }

    // ---- the explanation ----------------------------------------------------------------------

    /** Every mapping gets a sentence in both languages that names its ports and, for a gateway, third parties. */
    @Property
    void everyMappingIsExplainedWithItsPortsInBothLanguages(@ForAll("validMappings") PortMapping m) {
        for (java.util.Locale l : new java.util.Locale[] { java.util.Locale.ENGLISH, java.util.Locale.GERMAN }) {
            String s = m.explain(l);
            assertTrue(s.contains(String.valueOf(m.bindPort())), s);
            assertTrue(m.kind() == MappingKind.D || s.contains(String.valueOf(m.targetPort())), s);
            assertTrue(s.endsWith("."), s);
            boolean thirdParties = s.contains(l == java.util.Locale.GERMAN ? "Dritte können das nutzen" : "third parties can use this");
            assertEquals(m.isGateway(), thirdParties, s);
            if (m.kind() != MappingKind.D && !Hosts.isLoopback(m.targetHost())) {
                assertTrue(s.contains(m.targetHost()), s);
            }
        }
    }
}
