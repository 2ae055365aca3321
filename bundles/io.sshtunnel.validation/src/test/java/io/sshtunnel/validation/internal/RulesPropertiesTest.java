package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.PortRange;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link Rules} for any configuration whatever: it always answers with findings,
 * never with an exception, and every finding is well-formed and printable.
 */
class RulesPropertiesTest {
    private static final Set<String> CODES = Stream.of(FindingCodes.class.getFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
            .map(RulesPropertiesTest::value).collect(Collectors.toSet());

    private static String value(Field f) {
        try {
            return (String) f.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    // ---- properties ------------------------------------------------------------------------------

    @Property
    void checkAlwaysAnswersWithWellFormedFindings(@ForAll("specs") TunnelSpec candidate, @ForAll("othersLists") List<TunnelSpec> others,
            @ForAll("locales") Locale locale, @ForAll("policyLists") List<TunnelPolicy> policies,
            @ForAll @IntRange(min = 0, max = 65536) int unprivilegedStart, @ForAll int busy, @ForAll boolean held) {
        Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= unprivilegedStart, (host, port) -> ((port ^ busy) & 1) == 0);

        List<Finding> findings = rules.check(candidate, others, locale, policies, (id, port) -> held);

        assertNotNull(findings);
        for (Finding f : findings) {
            assertTrue(CODES.contains(f.code()), () -> "unknown code: " + f);
            assertFalse(f.property().isBlank(), () -> "no property: " + f);
            assertFalse(f.message().isBlank(), () -> "no message: " + f);
            assertTrue(f.message().chars().noneMatch(Character::isISOControl), () -> "a control character in " + f);
            assertTrue(f.mappingIndex() == Finding.NO_MAPPING
                    || f.mappingIndex() >= 0 && f.mappingIndex() < candidate.mappings().size(), () -> "mapping index of " + f);
            assertTrue(f.mappingIndex() == Finding.NO_MAPPING || f.property().equals("mappings"), () -> "property of " + f);
        }
    }

    @Property
    void theLanguageChangesOnlyTheText(@ForAll("specs") TunnelSpec candidate, @ForAll("othersLists") List<TunnelSpec> others,
            @ForAll("policyLists") List<TunnelPolicy> policies) {
        Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> port % 3 != 0);
        assertEquals(structure(rules.check(candidate, others, Locale.ENGLISH, policies, (id, port) -> false)),
                structure(rules.check(candidate, others, Locale.GERMAN, policies, (id, port) -> false)));
    }

    /** Without collisions, privileged ports, policies or bad properties, there is nothing to block. */
    @Property
    void distinctUnprivilegedPortsOnAGoodTunnelAreNeverAnError(@ForAll("distinctMappings") List<PortMapping> mappings) {
        Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> port % 2 == 0);
        TunnelSpec t = TunnelSpec.builder("t", "t").server("ssh.corp.local", 22).username("u").passwordSet(true).mappings(mappings)
                .build();
        List<Finding> findings = rules.check(t, List.of(), Locale.ENGLISH, List.of(), (id, port) -> false);
        assertTrue(findings.stream().noneMatch(Finding::isError), findings::toString);
    }

    /** A collision between two tunnels is reported whichever of them is being checked. */
    @Property
    void collisionsBetweenTunnelsAreSymmetric(@ForAll("mappingLists") List<PortMapping> a, @ForAll("mappingLists") List<PortMapping> b,
            @ForAll("serverHosts") String hostA, @ForAll("serverHosts") String hostB) {
        Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> true, (host, port) -> true);
        TunnelSpec ta = TunnelSpec.builder("a", "a").server(hostA, 22).username("u").passwordSet(true).mappings(a).build();
        TunnelSpec tb = TunnelSpec.builder("b", "b").server(hostB, 22).username("u").passwordSet(true).mappings(b).build();
        // each mapping gets at most one collision finding, so the codes and counts may differ by side; whether two
        // tunnels that are each consistent in themselves collide at all does not
        net.jqwik.api.Assume.that(collisions(rules.check(ta, List.of(), Locale.ENGLISH, List.of(), (id, port) -> false)).isEmpty()
                && collisions(rules.check(tb, List.of(), Locale.ENGLISH, List.of(), (id, port) -> false)).isEmpty());
        assertEquals(collisionsWith("b", rules.check(ta, List.of(tb), Locale.ENGLISH, List.of(), (id, port) -> false)).isEmpty(),
                collisionsWith("a", rules.check(tb, List.of(ta), Locale.ENGLISH, List.of(), (id, port) -> false)).isEmpty());
    }

    private static List<String> structure(List<Finding> findings) {
        return findings.stream().map(f -> f.severity() + " " + f.code() + " " + f.property() + " " + f.mappingIndex())
                .collect(Collectors.toList());
    }

    private static List<String> collisions(List<Finding> findings) {
        return findings.stream().map(Finding::code).filter(c -> c.equals(FindingCodes.LOCAL_PORT_COLLISION)
                || c.equals(FindingCodes.REMOTE_PORT_COLLISION) || c.equals(FindingCodes.DUPLICATE_MAPPING)).collect(Collectors.toList());
    }

    /** The codes of the collisions with the other tunnel (not those within the tunnel itself). */
    private static List<String> collisionsWith(String other, List<Finding> findings) {
        return findings.stream().filter(f -> f.message().contains("tunnel \"" + other + "\"")).map(Finding::code)
                .filter(c -> c.equals(FindingCodes.LOCAL_PORT_COLLISION) || c.equals(FindingCodes.REMOTE_PORT_COLLISION)
                        || c.equals(FindingCodes.DUPLICATE_MAPPING))
                .sorted().collect(Collectors.toList());
    }

    // ---- generators ------------------------------------------------------------------------------

    /** Any text at all: control characters, any Unicode, empty, and very long. */
    private static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\u0085', 'a', '.', ':').ofMaxLength(10),
                Arbitraries.strings().all().ofMinLength(200).ofMaxLength(5000));
    }

    /** Text as a name or label may be: anything printable. */
    private static Arbitrary<String> printableText() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\ud7ff').ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> serverHosts() {
        return Arbitraries.of("ssh.corp.local", "SSH.corp.local", "10.0.0.5", "::1", "[::1]", "bastion");
    }

    private static Arbitrary<Integer> ports() {
        // a few popular ports, so that mappings collide often
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 65535), Arbitraries.of(22, 80, 389, 1023, 1024, 1389, 9100));
    }

    /** A mapping of any kind: a D mapping (a SOCKS port) has no target. */
    static PortMapping mapping(MappingKind kind, String bind, int port, String target, int targetPort, String label) {
        return kind == MappingKind.D ? new PortMapping(kind, bind, port, null, 0, label) : new PortMapping(kind, bind, port, target, targetPort, label);
    }

    private static Arbitrary<PortMapping> mappings() {
        Arbitrary<MappingKind> kinds = Arbitraries.of(MappingKind.class);
        Arbitrary<String> bindHosts = Arbitraries.of("*", "", "127.0.0.1", "localhost", "LocalHost", "192.0.2.7", "::1", "fe80::1",
                "0.0.0.0", "::").injectNull(0.4);
        Arbitrary<String> targets = Arbitraries.oneOf(Arbitraries.of("dc1.corp.local", "DC1.corp.local", "localhost", "::1"),
                Arbitraries.strings().alpha().numeric().withChars('.', '-', '_').ofMinLength(1).ofMaxLength(20));
        Arbitrary<String> labels = printableText().injectNull(0.5);
        return Combinators.combine(kinds, bindHosts, ports(), targets, ports(), labels).as(RulesPropertiesTest::mapping);
    }

    @Provide
    Arbitrary<List<PortMapping>> mappingLists() {
        return mappings().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<PortMapping>> distinctMappings() {
        Arbitrary<MappingKind> kinds = Arbitraries.of(MappingKind.class);
        Arbitrary<String> targets = Arbitraries.of("dc1.corp.local", "localhost", "sql.corp.local");
        return Arbitraries.integers().between(1024, 65535).set().ofMinSize(1).ofMaxSize(8).flatMap(ports -> {
            List<Arbitrary<PortMapping>> each = new ArrayList<>();
            for (int port : ports) {
                each.add(Combinators.combine(kinds, targets, Arbitraries.integers().between(1, 65535))
                        .as((kind, target, targetPort) -> mapping(kind, null, port, target, targetPort, null)));
            }
            return Combinators.combine(each).as(list -> list);
        });
    }

    @Provide
    Arbitrary<TunnelSpec> specs() {
        Arbitrary<String> ids = Arbitraries.of("a", "b", "c", "d");
        Arbitrary<String> hosts = Arbitraries.oneOf(anyText(), serverHosts()).injectNull(0.05);
        Arbitrary<Integer> serverPorts = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(22, 0, -1, 65535, 65536));
        Arbitrary<String> usernames = anyText().injectNull(0.1);
        Arbitrary<String> keyPaths = Arbitraries.oneOf(anyText(), Arbitraries.of("pom.xml", "/", "/no/such/key", "")).injectNull(0.5);
        Arbitrary<String> fingerprints = Arbitraries.oneOf(anyText(), Arbitraries.just(RulesTest.VALID_FINGERPRINT),
                Arbitraries.strings().withCharRange('A', 'Z').withChars('+', '/', '=').ofLength(43).map(s -> "SHA256:" + s))
                .injectNull(0.3);
        Arbitrary<TunnelSpec.Builder> builders = Combinators.combine(ids, printableText(), Arbitraries.of(true, false), hosts,
                serverPorts, usernames, Arbitraries.of(true, false), keyPaths)
                .as((id, name, enabled, host, port, user, password, key) -> TunnelSpec.builder(id, name).enabled(enabled)
                        .server(host, port).username(user).passwordSet(password).privateKeyPath(key));
        Arbitrary<String> owners = Arbitraries.of("com.example.ad", "com.example.other").injectNull(0.5);
        return Combinators.combine(builders, fingerprints, mappingLists(), owners)
                .as((b, fingerprint, ms, owner) -> b.fingerprint(fingerprint).mappings(ms).owner(owner).build());
    }

    @Provide
    Arbitrary<List<TunnelSpec>> othersLists() {
        return specs().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Locale> locales() {
        return Arbitraries.of(Locale.ENGLISH, Locale.GERMAN, Locale.GERMANY, Locale.FRENCH, Locale.ROOT,
                Locale.forLanguageTag("de-CH"), Locale.forLanguageTag("zh-Hant-TW")).injectNull(0.1);
    }

    @Provide
    Arbitrary<List<TunnelPolicy>> policyLists() {
        Arbitrary<PortRange> ranges = Combinators.combine(Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(1, 65535))
                .as((x, y) -> new PortRange(Math.min(x, y), Math.max(x, y)));
        Arbitrary<TunnelPolicy> policies = Combinators.combine(Arbitraries.of("com.example.ad", "com.example.other"),
                Arbitraries.subsetOf(MappingKind.values()), Arbitraries.of(true, false), ranges.list().ofMaxSize(3))
                .as((module, kinds, gateways, allowed) -> new TunnelPolicy() {
                    @Override
                    public String module() {
                        return module;
                    }

                    @Override
                    public Set<MappingKind> allowedKinds() {
                        return kinds;
                    }

                    @Override
                    public boolean gatewayAllowed() {
                        return gateways;
                    }

                    @Override
                    public List<PortRange> allowedBindPorts() {
                        return allowed;
                    }
                });
        return policies.list().ofMaxSize(2);
    }
}
