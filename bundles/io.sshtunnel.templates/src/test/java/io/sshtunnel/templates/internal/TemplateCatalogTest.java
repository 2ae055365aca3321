package io.sshtunnel.templates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.MappingTemplate;
import io.sshtunnel.api.Placeholder;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TemplateCategory;
import io.sshtunnel.api.TemplateDefinition;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelTemplate;
import io.sshtunnel.validation.internal.ValidatorComponent;

/**
 * Every built-in template applied with the real validator: into an empty tunnel, twice, and where
 * its suggested ports are taken by another tunnel or by another program on this machine.
 */
class TemplateCatalogTest {
    private static final Map<String, String> VALUES = Map.of("dc", "dc1.corp.local", "sql", "sql1.corp.local",
            "db", "db1.corp.local", "md", "metadir.corp.local", "fileserver", "files.corp.local");

    private final TemplateCatalogComponent catalog = new TemplateCatalogComponent().withValidator(new ValidatorComponent());

    private static TunnelSpec tunnel(String name, String... mappings) {
        return TunnelSpec.builder("pid-" + name, name).server("127.0.0.1", 22).username("u").passwordSet(true)
                .mappings(java.util.Arrays.stream(mappings).map(PortMapping::parse).collect(Collectors.toList())).build();
    }

    private static List<String> formatted(List<PortMapping> ms) {
        return ms.stream().map(PortMapping::format).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ldap | L 1389:dc1.corp.local:389 service=ldap # LDAP",
        "ldaps | L 1636:dc1.corp.local:636 service=ldaps # LDAPS",
        "ldap-gc | L 3268:dc1.corp.local:3268 service=ldap-gc # Global Catalog; L 3269:dc1.corp.local:3269 service=ldap-gc # Global Catalog (TLS)",
        "mssql | L 1433:sql1.corp.local:1433 service=mssql # SQL Server",
        "mysql | L 3306:db1.corp.local:3306 service=mysql # MySQL",
        "postgresql | L 5432:db1.corp.local:5432 service=postgresql # PostgreSQL",
        "metadirectory | L *:1712:metadir.corp.local:1712 service=metadirectory # MetaDirectory",
        "smb | L 1445:files.corp.local:445 service=smb # SMB",
        "prometheus | R *:9100:localhost:9100 service=prometheus # node exporter; R *:9999:localhost:9999 service=prometheus # exporter",
        "ssh-console | R 2222:localhost:22 service=ssh-console # SSH console",
        "ami | R 5038:localhost:5038 service=ami # AMI",
        "openfire | R 9090:localhost:9090 service=openfire # Openfire admin",
        "checkmk | R 6556:localhost:6556 service=checkmk # Check_MK agent",
    })
    void eachBuiltInTemplateInsertsItsMappingsIntoAnEmptyTunnelOnceOnly(String id, String expected) {
        TunnelSpec empty = tunnel("t");
        TemplateApplication a = catalog.apply(id, VALUES, empty, List.of(), Locale.ENGLISH);
        assertFalse(a.hasErrors(), a::toString);
        assertEquals(List.of(expected.split("; ")), formatted(a.added()));
        assertEquals(a.added(), a.mappings());
        // only the findings a user decides on: gateways say so, nothing else is wrong
        boolean gateway = a.added().stream().anyMatch(PortMapping::isGateway);
        assertEquals(gateway, a.findings().stream().anyMatch(f -> f.code().equals(FindingCodes.GATEWAY_EXPOSURE)), a::toString);
        assertTrue(a.findings().stream().allMatch(f -> f.code().equals(FindingCodes.GATEWAY_EXPOSURE)), a::toString);

        TemplateApplication again = catalog.apply(id, VALUES, empty.toBuilder().mappings(a.mappings()).build(), List.of(), Locale.ENGLISH);
        assertEquals(List.of(), again.added(), "applying twice inserts nothing");
        assertEquals(a.added(), again.alreadyPresent());
        assertEquals(a.mappings(), again.mappings());
    }

    @Test
    void everyBuiltInTemplateHasTitlesAndDescriptionsInBothLanguagesAndItsIdAsService() {
        List<TunnelTemplate> all = catalog.templates();
        assertEquals(List.of("ldap", "ldaps", "ldap-gc", "mssql", "mysql", "postgresql", "metadirectory", "smb", "prometheus",
                "ssh-console", "ami", "openfire", "checkmk"), all.stream().map(TunnelTemplate::id).collect(Collectors.toList()));
        for (TunnelTemplate t : all) {
            assertFalse(t.title(Locale.ENGLISH).isBlank(), t.id());
            assertFalse(t.description(Locale.GERMAN).isBlank(), t.id());
            assertFalse(t.description(Locale.ENGLISH).equals(t.description(Locale.GERMAN)), t.id() + " has a German description");
            assertTrue(t.mappings().stream().allMatch(m -> m.service().equals(t.id())), t.id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ldap | L 1389:other:389 | L 1390:dc1.corp.local:389 service=ldap # LDAP",
        "ldap | L 1389:other:389; L 1390:x:1 | L 1388:dc1.corp.local:389 service=ldap # LDAP",
        "metadirectory | L 1712:other:1 | L *:1713:metadir.corp.local:1712 service=metadirectory # MetaDirectory",
        "prometheus | R *:9100:localhost:1 | R *:9101:localhost:9100 service=prometheus # node exporter; R *:9999:localhost:9999 service=prometheus # exporter",
        "ssh-console | R 2222:localhost:2 | R 2223:localhost:22 service=ssh-console # SSH console",
    })
    void aPortTakenByAnotherTunnelMovesToTheNearestFreeOne(String id, String otherMappings, String expected) {
        TunnelSpec other = tunnel("other", otherMappings.split("; "));
        TemplateApplication a = catalog.apply(id, VALUES, tunnel("t"), List.of(other), Locale.ENGLISH);
        assertFalse(a.hasErrors(), a::toString);
        assertEquals(List.of(expected.split("; ")), formatted(a.added()));
    }

    static java.util.stream.Stream<String> allIds() {
        return BuiltInTemplates.all().stream().map(TunnelTemplate::id);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("allIds")
    void everyTemplateMovesOffPortsAnotherTunnelHolds(String id) {
        TunnelTemplate t = catalog.template(id).orElseThrow();
        String[] held = t.mappings().stream().map(m -> m.kind() + " " + (m.gateway() ? "*:" : "") + m.suggestedPort() + ":elsewhere:1")
                .toArray(String[]::new);
        TemplateApplication a = catalog.apply(id, VALUES, tunnel("t"), List.of(tunnel("other", held)), Locale.ENGLISH);
        assertFalse(a.hasErrors(), a::toString);
        assertEquals(t.mappings().size(), a.added().size());
        for (int i = 0; i < a.added().size(); i++) {
            int suggested = t.mappings().get(i).suggestedPort();
            int got = a.added().get(i).bindPort();
            assertTrue(got != suggested && Math.abs(got - suggested) <= 2, id + ": " + suggested + " -> " + got);
        }
        assertTrue(a.findings().stream().noneMatch(f -> Applier.PORT_TAKEN.contains(f.code())), a::toString);
    }

    /** The templates whose ports are on this machine (an R mapping's port is on the SSH server, where no program here holds it). */
    static java.util.stream.Stream<String> localIds() {
        return BuiltInTemplates.all().stream().filter(t -> t.mappings().stream().allMatch(m -> m.kind() == MappingKind.L))
                .map(TunnelTemplate::id);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("localIds")
    void everyLocalTemplateMovesOffPortsAnotherProgramHolds(String id) throws IOException {
        TunnelTemplate t = catalog.template(id).orElseThrow();
        List<ServerSocket> programs = new java.util.ArrayList<>();
        try {
            for (MappingTemplate m : t.mappings()) {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.getByName(m.gateway() ? "0.0.0.0" : "127.0.0.1"), m.suggestedPort()));
                programs.add(s);
            }
            TemplateApplication a = catalog.apply(id, VALUES, tunnel("t"), List.of(), Locale.ENGLISH);
            assertFalse(a.hasErrors(), a::toString);
            for (int i = 0; i < a.added().size(); i++) {
                assertTrue(a.added().get(i).bindPort() != t.mappings().get(i).suggestedPort(), a::toString);
            }
            assertTrue(a.findings().stream().noneMatch(f -> f.code().equals(FindingCodes.LOCAL_PORT_IN_USE)), a::toString);
        } finally {
            for (ServerSocket s : programs) {
                s.close();
            }
        }
    }

    @Test
    void aPortTakenInTheTunnelItselfMovesToo() {
        TemplateApplication a = catalog.apply("ldap-gc", VALUES, tunnel("t", "L 3268:x:1", "L 3269:y:2"), List.of(), Locale.ENGLISH);
        // 3268 and 3269 are taken: the first goes to 3267 (3269 is taken too), the second to 3270
        assertEquals(List.of("L 3267:dc1.corp.local:3268 service=ldap-gc # Global Catalog",
                "L 3270:dc1.corp.local:3269 service=ldap-gc # Global Catalog (TLS)"), formatted(a.added()));
        assertEquals(4, a.mappings().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ldap | 127.0.0.1 | L 1390:dc1.corp.local:389 service=ldap # LDAP",
        "smb | 127.0.0.1 | L 1446:files.corp.local:445 service=smb # SMB",
        "metadirectory | 0.0.0.0 | L *:1713:metadir.corp.local:1712 service=metadirectory # MetaDirectory",
    })
    void aPortTakenByAnotherProgramOnThisMachineMovesToTheNearestFreeOne(String id, String host, String expected) throws IOException {
        TunnelTemplate t = catalog.template(id).orElseThrow();
        int port = t.mappings().get(0).suggestedPort();
        try (ServerSocket program = new ServerSocket()) {
            program.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            TemplateApplication a = catalog.apply(id, VALUES, tunnel("t"), List.of(), Locale.ENGLISH);
            assertEquals(List.of(expected), formatted(a.added()), a::toString);
        }
    }

    @Test
    void aMissingOrBadPlaceholderIsAFindingNamingItAndInsertsNothing() {
        TemplateApplication missing = catalog.apply("ldap", Map.of(), tunnel("t"), List.of(), Locale.ENGLISH);
        assertEquals(List.of(), missing.added());
        Finding f = missing.findings().get(0);
        assertEquals(FindingCodes.TEMPLATE_PLACEHOLDER, f.code());
        assertEquals("template \"ldap\" needs Domain controller (host name or IP address): fill it in, e.g. \"dc1.corp.local\"", f.message());

        TemplateApplication bad = catalog.apply("ldap", Map.of("dc", "dc 1"), tunnel("t"), List.of(), Locale.GERMAN);
        assertEquals(List.of(), bad.added());
        assertTrue(bad.findings().get(0).message().contains("\"dc 1\" ist kein Hostname"), bad::toString);

        TemplateApplication v6 = catalog.apply("ldap", Map.of("dc", "[2001:db8::10]"), tunnel("t"), List.of(), Locale.ENGLISH);
        assertEquals(List.of("L 1389:[2001:db8::10]:389 service=ldap # LDAP"), formatted(v6.added()));
    }

    @Test
    void anUnknownTemplateNamesTheKnownOnes() {
        TemplateApplication a = catalog.apply("ldapp", VALUES, tunnel("t"), List.of(), Locale.ENGLISH);
        assertEquals(FindingCodes.TEMPLATE_UNKNOWN, a.findings().get(0).code());
        assertTrue(a.findings().get(0).message().startsWith("there is no template \"ldapp\": choose one of ldap, ldaps, "), a::toString);
    }

    @Test
    void withoutTheValidatorTheSuggestedPortsAreTakenAndTheUserIsTold() {
        TemplateCatalogComponent bare = new TemplateCatalogComponent();
        TemplateApplication a = bare.apply("ldap", VALUES, tunnel("t"), List.of(tunnel("o", "L 1389:x:1")), Locale.ENGLISH);
        assertEquals(List.of("L 1389:dc1.corp.local:389 service=ldap # LDAP"), formatted(a.added()));
        assertEquals(Severity.WARNING, a.findings().get(0).severity());
        assertEquals(FindingCodes.VALIDATION_UNAVAILABLE, a.findings().get(0).code());
    }

    @Test
    void contributedTemplatesComeAfterTheBuiltInOnesAndGoWithTheirService() {
        TunnelTemplate crm = TemplateDefinition.builder("crm", TemplateCategory.DATABASE).title("CRM", "CRM")
                .mapping(MappingTemplate.toPlaceholder(MappingKind.L, false, 11433,
                        new Placeholder("crm", "CRM server", "CRM-Server", "crm.local"), 1433, "CRM", "crm")).build();
        TunnelTemplate clash = TemplateDefinition.builder("ldap", TemplateCategory.DIRECTORY).title("mine", "meins")
                .mapping(MappingTemplate.fixed(MappingKind.R, false, 1, "localhost", 1, null, "ldap")).build();
        catalog.addTemplate(crm, Map.of("service.id", 7L));
        catalog.addTemplate(clash, Map.of("service.id", 8L));
        List<String> ids = catalog.templates().stream().map(TunnelTemplate::id).collect(Collectors.toList());
        assertEquals("crm", ids.get(ids.size() - 1));
        assertEquals(1, ids.stream().filter("ldap"::equals).count());
        assertEquals("Active Directory (LDAP)", catalog.template("ldap").orElseThrow().title(Locale.ENGLISH), "the built-in one stays");
        assertEquals(List.of("L 11433:crm.local:1433 service=crm # CRM"),
                formatted(catalog.apply("crm", Map.of("crm", "crm.local"), tunnel("t"), List.of(), Locale.ENGLISH).added()));
        catalog.removeTemplate(crm, Map.of("service.id", 7L));
        assertTrue(catalog.template("crm").isEmpty());
    }

    @Test
    void aModulePolicyRefusingTheTemplateIsAnErrorAndNothingIsInserted() {
        ValidatorComponent v = new ValidatorComponent();
        TemplateCatalogComponent c = new TemplateCatalogComponent().withValidator(v);
        io.sshtunnel.api.TunnelPolicy onlyR = new io.sshtunnel.api.TunnelPolicy() {
            @Override
            public String module() {
                return "monitoring";
            }

            @Override
            public java.util.Set<MappingKind> allowedKinds() {
                return java.util.Set.of(MappingKind.R);
            }
        };
        addPolicy(v, onlyR);
        TunnelSpec owned = tunnel("t").toBuilder().owner("monitoring").build();
        TemplateApplication a = c.apply("ldap", VALUES, owned, List.of(), Locale.ENGLISH);
        assertTrue(a.hasErrors());
        assertEquals(List.of(), a.added());
        assertTrue(a.findings().stream().anyMatch(f -> f.code().equals(FindingCodes.POLICY_KIND) && f.message().contains("monitoring")), a::toString);
        assertTrue(c.apply("prometheus", VALUES, owned, List.of(), Locale.ENGLISH).added().size() == 2);
    }

    @Test
    void aPolicyThatKeepsTheTemplatesPortOutIsNamedWithThePortsItAllows() {
        ValidatorComponent v = new ValidatorComponent();
        TemplateCatalogComponent c = new TemplateCatalogComponent().withValidator(v);
        io.sshtunnel.api.TunnelPolicy ports = new io.sshtunnel.api.TunnelPolicy() {
            @Override
            public String module() {
                return "crm";
            }

            @Override
            public List<io.sshtunnel.api.PortRange> allowedBindPorts() {
                return List.of(new io.sshtunnel.api.PortRange(9100, 9199));
            }
        };
        addPolicy(v, ports);
        TemplateApplication a = c.apply("ldap", VALUES, tunnel("t").toBuilder().owner("crm").build(), List.of(), Locale.ENGLISH);
        assertTrue(a.hasErrors());
        // not "free a port there" while those ports are free: the policy, and what it allows
        io.sshtunnel.api.Finding f = a.findings().stream().filter(x -> x.code().equals(FindingCodes.TEMPLATE_NO_FREE_PORT)).findFirst()
                .orElseThrow(() -> new AssertionError(a.toString()));
        assertTrue(f.message().contains("policy") && f.message().contains("module \"crm\" allows only ports 9100-9199"), f.message());
        assertFalse(f.message().contains("free a port there"), f.message());
    }

    /** Registers a module's policy with the validator, as its service reference would. */
    private static void addPolicy(ValidatorComponent v, io.sshtunnel.api.TunnelPolicy policy) {
        try {
            java.lang.reflect.Method add = ValidatorComponent.class.getDeclaredMethod("addPolicy", io.sshtunnel.api.TunnelPolicy.class);
            add.setAccessible(true);
            add.invoke(v, policy);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
