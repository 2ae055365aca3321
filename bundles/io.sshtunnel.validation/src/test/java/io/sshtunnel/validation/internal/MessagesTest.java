package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import static io.sshtunnel.validation.internal.RulesTest.SERVER;
import static io.sshtunnel.validation.internal.RulesTest.tunnel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelSpec;

/** The findings' texts in English and German, chosen by the caller's locale and never by the JVM's. */
class MessagesTest {
    private static final Locale[] ENGLISH = { Locale.ENGLISH, Locale.US, Locale.UK, Locale.FRENCH, Locale.ITALIAN,
            Locale.forLanguageTag("nl-NL"), Locale.ROOT, null };
    private static final Locale[] GERMAN = { Locale.GERMAN, Locale.GERMANY, Locale.forLanguageTag("de-AT"),
            Locale.forLanguageTag("de-CH") };

    /** An unprivileged process on a machine where port 1433 is taken by another program. */
    private final Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> port != 1433);

    private List<Finding> check(TunnelSpec candidate, List<TunnelSpec> others, List<TunnelPolicy> policies, Locale locale) {
        return rules.check(candidate, others, locale, policies, (id, port) -> false);
    }

    /** code, candidate, others, policies, the English message, the German message. */
    static Stream<Arguments> translated() {
        TunnelSpec ad = tunnel("ad", "L 1389:dc1:389").build();
        TunnelSpec prometheus = tunnel("prometheus", "R *:9100:localhost:9100").build();
        return Stream.of(
                arguments(FindingCodes.REQUIRED, tunnel("t", "L 1389:dc1:389").username(null).build(), List.of(), List.of(),
                        "username is not set: it is required, give a value",
                        "username ist nicht gesetzt, wird aber ben\u00f6tigt: einen Wert angeben"),
                arguments(FindingCodes.PORT_RANGE, tunnel("t", "L 1389:dc1:389").server(SERVER, 70000).build(), List.of(), List.of(),
                        "server.port 70000 is outside 1-65535: give a number from 1 to 65535",
                        "server.port 70000 liegt au\u00dferhalb von 1-65535: eine Zahl von 1 bis 65535 angeben"),
                arguments(FindingCodes.RANGE, tunnel("t", "L 1389:dc1:389").keepaliveSeconds(0).build(), List.of(), List.of(),
                        "keepalive.seconds 0 is outside 1-3600: give a number of seconds from 1 to 3600",
                        "keepalive.seconds 0 liegt au\u00dferhalb von 1-3600: eine Anzahl Sekunden von 1 bis 3600 angeben"),
                arguments(FindingCodes.HOST_SYNTAX, tunnel("t", "L 1389:dc1:389").server("ssh corp", 22).build(), List.of(), List.of(),
                        "server.host \"ssh corp\" is not a host name or IP address: use letters, digits, dots and dashes, or an IPv6"
                                + " address in brackets, without spaces",
                        "server.host \"ssh corp\" ist kein Hostname und keine IP-Adresse: Buchstaben, Ziffern, Punkte und Bindestriche"
                                + " verwenden oder eine IPv6-Adresse in eckigen Klammern, ohne Leerzeichen"),
                arguments(FindingCodes.NO_CREDENTIALS, tunnel("t", "L 1389:dc1:389").passwordSet(false).build(), List.of(), List.of(),
                        "neither password nor private.key.path is set: give the SSH user's password or the path of its private key",
                        "weder password noch private.key.path ist gesetzt: das Kennwort des SSH-Benutzers oder den Pfad seines"
                                + " privaten Schl\u00fcssels angeben"),
                arguments(FindingCodes.PRIVILEGED_LOCAL_PORT, tunnel("t", "L 389:dc1:389").build(), List.of(), List.of(),
                        "mapping 1 \"L 389:dc1:389\": local port 389 is below 1024 and this process may not bind it: use a port of"
                                + " 1024 or above (e.g. 1389), or give the Java process CAP_NET_BIND_SERVICE",
                        "Mapping 1 \"L 389:dc1:389\": der lokale Port 389 liegt unter 1024 und darf von diesem Prozess nicht belegt"
                                + " werden: einen Port ab 1024 verwenden (z. B. 1389) oder dem Java-Prozess CAP_NET_BIND_SERVICE geben"),
                arguments(FindingCodes.LOCAL_PORT_COLLISION, tunnel("sql", "L 1389:dc2:636").build(), List.of(ad), List.of(),
                        "mapping 1 \"L 1389:dc2:636\": local port 1389 is already used by tunnel \"ad\" (mapping 1 \"L 1389:dc1:389\"):"
                                + " choose another local port",
                        "Mapping 1 \"L 1389:dc2:636\": der lokale Port 1389 wird schon von Tunnel \"ad\" verwendet (Mapping 1"
                                + " \"L 1389:dc1:389\"): einen anderen lokalen Port w\u00e4hlen"),
                arguments(FindingCodes.REMOTE_PORT_COLLISION, tunnel("node", "R 9100:localhost:9101").build(), List.of(prometheus),
                        List.of(),
                        "mapping 1 \"R 9100:localhost:9101\": remote port 9100 on ssh.corp.local:22 is already used by tunnel"
                                + " \"prometheus\" (mapping 1 \"R *:9100:localhost:9100\"): choose another remote port",
                        "Mapping 1 \"R 9100:localhost:9101\": der Remote-Port 9100 auf ssh.corp.local:22 wird schon von Tunnel"
                                + " \"prometheus\" verwendet (Mapping 1 \"R *:9100:localhost:9100\"): einen anderen Remote-Port w\u00e4hlen"),
                arguments(FindingCodes.LOCAL_PORT_IN_USE, tunnel("sql", "L 1433:sql:1433").build(), List.of(), List.of(),
                        "mapping 1 \"L 1433:sql:1433\": local port 1433 is already in use on this machine by another program: the"
                                + " mapping will be retried until the port is free; choose another port or stop that program",
                        "Mapping 1 \"L 1433:sql:1433\": der lokale Port 1433 ist auf diesem Rechner schon von einem anderen Programm"
                                + " belegt: das Mapping wird wiederholt, bis der Port frei ist; einen anderen Port w\u00e4hlen oder das"
                                + " Programm beenden"),
                arguments(FindingCodes.GATEWAY_EXPOSURE, tunnel("prometheus", "R *:9100:localhost:9100").build(), List.of(), List.of(),
                        "mapping 1 \"R *:9100:localhost:9100\" is reachable by other hosts: anyone who can reach the SSH server on"
                                + " port 9100 reaches localhost:9100 on this side; the server needs GatewayPorts clientspecified (or"
                                + " yes) in its sshd_config",
                        "Mapping 1 \"R *:9100:localhost:9100\" ist f\u00fcr andere Hosts erreichbar: wer den SSH-Server auf Port 9100"
                                + " erreicht, erreicht localhost:9100 auf dieser Seite; der Server braucht GatewayPorts"
                                + " clientspecified (oder yes) in seiner sshd_config"),
                arguments(FindingCodes.POLICY_PORT, tunnel("t", "L 3000:dc1:389").build(), List.of(), List.of(new RulesTest.AdPolicy()),
                        "mapping 1 \"L 3000:dc1:389\": module \"com.example.ad\" allows only ports 1024-2000, not 3000: choose a port in that range",
                        "Mapping 1 \"L 3000:dc1:389\": Modul \"com.example.ad\" erlaubt nur die Ports 1024-2000, nicht 3000: einen Port aus diesem Bereich wählen"),
                arguments(FindingCodes.POLICY_TEMPLATE, tunnel("t", "L 1433:sql:1433 service=mssql").build(), List.of(), List.of(new RulesTest.AdPolicy()),
                        "mapping 1 \"L 1433:sql:1433 service=mssql\": module \"com.example.ad\" allows only the templates ldap, ldaps, not \"mssql\": use one of them or remove service=mssql",
                        "Mapping 1 \"L 1433:sql:1433 service=mssql\": Modul \"com.example.ad\" erlaubt nur die Vorlagen ldap, ldaps, nicht \"mssql\": eine davon verwenden oder service=mssql entfernen"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("translated")
    void theMessageIsInTheCallersLanguage(String code, TunnelSpec candidate, List<TunnelSpec> others, List<TunnelPolicy> policies,
            String english, String german) {
        for (Locale locale : ENGLISH) {
            Finding f = RulesTest.single(check(candidate, others, policies, locale), code);
            assertEquals(english, f.message(), "locale " + locale);
        }
        for (Locale locale : GERMAN) {
            Finding f = RulesTest.single(check(candidate, others, policies, locale), code);
            assertEquals(german, f.message(), "locale " + locale);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("translated")
    void onlyTheTextDependsOnTheLanguage(String code, TunnelSpec candidate, List<TunnelSpec> others, List<TunnelPolicy> policies) {
        List<Finding> en = check(candidate, others, policies, Locale.ENGLISH);
        List<Finding> de = check(candidate, others, policies, Locale.GERMAN);
        assertEquals(structure(en), structure(de));
        for (int i = 0; i < en.size(); i++) {
            assertNotEquals(en.get(i).message(), de.get(i).message(), "translated: " + en.get(i));
        }
    }

    @Test
    void theJvmsDefaultLocaleIsNeverTheFallback() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMAN);
            // a fresh Messages, so that nothing is cached from before the default changed
            Rules fresh = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> false, (host, port) -> true);
            TunnelSpec t = tunnel("t", "L 1389:dc1:389").username(null).build();
            for (Locale locale : new Locale[] { Locale.FRENCH, Locale.forLanguageTag("pt-BR"), Locale.ROOT, null }) {
                Finding f = RulesTest.single(fresh.check(t, List.of(), locale, List.of(), (id, port) -> false), FindingCodes.REQUIRED);
                assertEquals("username is not set: it is required, give a value", f.message(), "locale " + locale);
            }
            Finding de = RulesTest.single(fresh.check(t, List.of(), Locale.GERMAN, List.of(), (id, port) -> false), FindingCodes.REQUIRED);
            assertEquals("username ist nicht gesetzt, wird aber ben\u00f6tigt: einen Wert angeben", de.message());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void numbersAreWrittenWithoutGroupingInEveryLanguage() {
        TunnelSpec t = tunnel("t", "L 12345:dc1:389").build();
        TunnelSpec other = tunnel("other", "L 12345:dc2:389").build();
        for (Locale locale : new Locale[] { Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH }) {
            Finding f = RulesTest.single(check(t, List.of(other), List.of(), locale), FindingCodes.LOCAL_PORT_COLLISION);
            assertTrue(f.message().contains(" 12345 "), f.message());
        }
    }

    // ---- the message files -----------------------------------------------------------------------

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is on the class path");
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    @Test
    void everyEnglishMessageHasAGermanTranslationAndNoMore() throws IOException {
        Properties en = load("Findings.properties");
        Properties de = load("Findings_de.properties");
        Set<String> missing = new TreeSet<>(en.stringPropertyNames());
        missing.removeAll(de.stringPropertyNames());
        Set<String> extra = new TreeSet<>(de.stringPropertyNames());
        extra.removeAll(en.stringPropertyNames());
        assertEquals(Set.of(), missing, "keys without a German text");
        assertEquals(Set.of(), extra, "German keys without an English text");
        assertFalse(en.isEmpty());
    }

    @Test
    void bothLanguagesUseTheSameArgumentsForEachMessage() throws IOException {
        Properties en = load("Findings.properties");
        Properties de = load("Findings_de.properties");
        for (String key : en.stringPropertyNames()) {
            assertEquals(argumentNumbers(en.getProperty(key)), argumentNumbers(de.getProperty(key)), key);
        }
    }

    /** The argument numbers that survive formatting (a stray apostrophe would swallow some). */
    private static Set<Integer> argumentNumbers(String pattern) {
        Object[] markers = new Object[10];
        for (int i = 0; i < markers.length; i++) {
            markers[i] = "<<" + i + ">>";
        }
        Matcher m = Pattern.compile("<<(\\d)>>").matcher(new MessageFormat(pattern).format(markers));
        Set<Integer> found = new TreeSet<>();
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    @Test
    void everyMessageRulesWritesExistsInBothLanguages(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // scenarios that together make Rules write every kind of finding it knows
        Rules unprivileged = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> port >= 1024, (host, port) -> port != 1433);
        Rules privileged = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> true, (host, port) -> true, RulesTest.ADMIN);
        TunnelSpec broken = TunnelSpec.builder("broken", "broken").server("ssh corp", 0).passwordSet(true)
                .privateKeyPath("/no/such/key").fingerprint("SHA256:short").keepaliveSeconds(0).targetProbeSeconds(-1).build();
        TunnelSpec noCredentials = tunnel("t", "L 1389:dc1:389").passwordSet(false).fingerprintRequired(true).build();
        TunnelSpec ad = tunnel("ad", "L 1389:dc1:389", "R 9100:localhost:9100").build();
        TunnelSpec mappings = tunnel("m", "L 389:dc1:389", "R 80:localhost:8080", "L 1389:dc2:389", "R *:9100:localhost:9200",
                "L *:1712:meta:1712", "L 1433:sql:1433", "L 1712:meta:1712", "L 1712:meta:1712", "L 1900:sql:1433 service=mssql").build();
        TunnelSpec warnings = tunnel("w", "L 636:dc1:636").owner("com.example.ad").build();
        java.nio.file.Path exposed = java.nio.file.Files.writeString(dir.resolve("id_ed25519"), "key");
        java.nio.file.Files.setPosixFilePermissions(exposed, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        TunnelSpec exposedKey = tunnel("k", "L 1389:dc1:389").privateKeyPath(exposed.toString()).build();
        TunnelSpec tooMany = tunnel("many", RulesTest.localMappings(101, 20_000)).build();
        TunnelSpec admin = tunnel("admin", "R 9000:localhost:6666", "R 18080:localhost:8080").build();
        Set<String> seen = new TreeSet<>();
        for (Locale locale : new Locale[] { Locale.ENGLISH, Locale.GERMAN }) {
            List<Finding> all = Stream.of(
                    unprivileged.check(broken, List.of(), locale, List.of(), (id, p) -> false),
                    unprivileged.check(noCredentials, List.of(), locale, List.of(), (id, p) -> false),
                    unprivileged.check(mappings, List.of(ad), locale, List.of(new RulesTest.AdPolicy()), (id, p) -> false),
                    privileged.check(warnings, List.of(), locale, List.of(), (id, p) -> false),
                    privileged.check(exposedKey, List.of(), locale, List.of(), (id, p) -> false),
                    privileged.check(tooMany, List.of(), locale, List.of(), (id, p) -> false),
                    privileged.check(admin, List.of(), locale, List.of(), (id, p) -> false),
                    privileged.check(tunnel("ad", "L 2001:x:1").build(), List.of(ad.toBuilder().build(),
                            TunnelSpec.builder("other", "ad").build()), locale, List.of(), (id, p) -> false))
                    .flatMap(List::stream).collect(Collectors.toList());
            for (Finding f : all) {
                seen.add(f.severity() + " " + f.code());
                assertFalse(f.message().matches("[A-Z_.]+"), "the message is the bare key: " + f);
                assertFalse(f.message().contains("{") || f.message().contains("}"), "an argument was not filled in: " + f);
            }
        }
        assertEquals(new TreeSet<>(List.of("ERROR REQUIRED", "ERROR HOST_SYNTAX", "ERROR PORT_RANGE", "ERROR RANGE", "ERROR FINGERPRINT_FORMAT", "ERROR FINGERPRINT_MISSING",
                "ERROR KEY_FILE", "WARNING KEY_FILE_PERMISSIONS", "ERROR ADMIN_PORT_EXPOSED", "WARNING ADMIN_PORT_EXPOSED", "ERROR TOO_MANY_MAPPINGS", "ERROR NO_CREDENTIALS", "WARNING BOTH_CREDENTIALS", "ERROR PRIVILEGED_LOCAL_PORT",
                "WARNING PRIVILEGED_LOCAL_PORT", "WARNING PRIVILEGED_REMOTE_PORT", "ERROR LOCAL_PORT_COLLISION",
                "ERROR REMOTE_PORT_COLLISION", "ERROR DUPLICATE_MAPPING", "WARNING LOCAL_PORT_IN_USE", "NOTICE GATEWAY_EXPOSURE",
                "ERROR POLICY_KIND", "ERROR POLICY_GATEWAY", "ERROR POLICY_PORT", "ERROR POLICY_TEMPLATE", "ERROR NAME_TAKEN")), seen);
    }

    private static List<String> structure(List<Finding> findings) {
        return findings.stream().map(f -> f.severity() + " " + f.code() + " " + f.property() + " " + f.mappingIndex())
                .collect(Collectors.toList());
    }

    @Test
    void severityIsNeverTranslated() {
        Finding f = RulesTest.single(check(tunnel("t", "L 389:dc1:389").build(), List.of(), List.of(), Locale.GERMAN),
                FindingCodes.PRIVILEGED_LOCAL_PORT);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals("ERROR PRIVILEGED_LOCAL_PORT: " + f.message(), f.toString());
    }
}
