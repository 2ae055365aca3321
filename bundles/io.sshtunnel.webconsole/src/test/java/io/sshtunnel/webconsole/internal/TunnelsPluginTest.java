package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.ConnectionTester;
import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class TunnelsPluginTest {
    static final String SECRET = "Winter2025-never-shown";
    static final String ADMIN_PID = "io.sshtunnel.tunnel~ad";
    static final String MODULE_PID = "io.sshtunnel.tunnel~directory";

    final TunnelRuntime runtime = mock(TunnelRuntime.class);
    final ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
    final ConnectionTester tester = mock(ConnectionTester.class);
    final Configuration admin = mock(Configuration.class);
    final Configuration module = mock(Configuration.class);
    TunnelsPlugin plugin;

    /** The modules installed in the container. */
    final java.util.Set<String> installed = new java.util.HashSet<>(java.util.Set.of("com.example.directory"));

    /** The real administrator's side of the admin service over the mocked Config Admin. */
    io.sshtunnel.api.TunnelAdministration administration() {
        return new io.sshtunnel.ownership.internal.Administration(
                new io.sshtunnel.ownership.internal.Ownership(cm, audit -> { }, installed::contains).withRuntime(runtime));
    }

    @BeforeEach
    void setUp() throws Exception {
        TunnelSpec ad = TunnelSpec.builder(ADMIN_PID, "ad").server("ssh.customer.example", 8822).username("svc")
                .passwordSet(true).passphraseSet(true).privateKeyPath("/etc/sshtunnel/id_ed25519")
                .mappings(List.of(PortMapping.parse("L 1389:dc1.corp.local:389 service=ldap # LDAP"),
                        PortMapping.parse("L *:1712:md.corp.local:1712")))
                .build();
        Instant since = Instant.parse("2026-12-01T10:00:00Z");
        TunnelStatus adStatus = new TunnelStatus(ad, TunnelState.DEGRADED, "mapping 2 failed", since, null, 0, "SHA256:abc",
                List.of(new MappingStatus(0, ad.mappings().get(0), MappingState.ACTIVE, null, since, null,
                        new MappingCounters(100, 2000, 3, 1, 0)),
                        new MappingStatus(1, ad.mappings().get(1), MappingState.FAILED, "port 1712 is busy", since, null)),
                List.of());
        TunnelSpec dir = TunnelSpec.builder(MODULE_PID, "directory").owner("com.example.directory").server("10.0.0.1", 22)
                .username("u").passwordSet(true).mappings(List.of(PortMapping.parse("L 2389:dc:389"))).build();
        TunnelStatus dirStatus = new TunnelStatus(dir, TunnelState.UP, null, since, null, 0, null, List.of(), List.of());
        when(runtime.tunnels()).thenReturn(List.of(adStatus, dirStatus));
        when(runtime.tunnel("ad")).thenReturn(Optional.of(adStatus));
        when(runtime.tunnel("directory")).thenReturn(Optional.of(dirStatus));
        when(runtime.check(anyString(), any(), any())).thenReturn(List.of());

        Hashtable<String, Object> adProps = new Hashtable<>();
        adProps.put("name", "ad");
        adProps.put("server.host", "ssh.customer.example");
        adProps.put("server.port", 8822);
        adProps.put("username", "svc");
        adProps.put("password", SECRET);
        adProps.put("private.key.passphrase", SECRET + "-key");
        adProps.put("mappings", new String[] { "L 1389:dc1.corp.local:389 # LDAP" });
        adProps.put("keepalive.seconds", 7);
        when(admin.getPid()).thenReturn(ADMIN_PID);
        when(admin.getFactoryPid()).thenReturn("io.sshtunnel.tunnel");
        when(admin.getProperties()).thenReturn(adProps);
        Hashtable<String, Object> dirProps = new Hashtable<>();
        dirProps.put("name", "directory");
        dirProps.put("owner", "com.example.directory");
        dirProps.put("password", SECRET);
        when(module.getPid()).thenReturn(MODULE_PID);
        when(module.getFactoryPid()).thenReturn("io.sshtunnel.tunnel");
        when(module.getProperties()).thenReturn(dirProps);
        when(cm.listConfigurations("(service.pid=io.sshtunnel.tunnel~ad)")).thenReturn(new Configuration[] { admin });
        when(cm.listConfigurations("(service.pid=io.sshtunnel.tunnel~directory)")).thenReturn(new Configuration[] { module });
        plugin = new TunnelsPlugin(runtime, administration(), tester, null, false);
        org.mockito.Mockito.clearInvocations(cm); // what the audit read when it started; each test counts its own
    }

    /** A request as the page's script sends it: the header, from the console's own origin. */
    static HttpServletRequest post(String action, String json, String header, String origin) throws Exception {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn("POST");
        when(r.getProtocol()).thenReturn("HTTP/1.1");
        when(r.getScheme()).thenReturn("http");
        when(r.getPathInfo()).thenReturn("/sshtunnels" + action);
        when(r.getRequestURI()).thenReturn("/system/console/sshtunnels" + action);
        when(r.getHeader("Host")).thenReturn("127.0.0.1:8080");
        when(r.getHeader("X-Requested-With")).thenReturn(header);
        when(r.getHeader("Origin")).thenReturn(origin);
        when(r.getContentType()).thenReturn("application/json; charset=UTF-8");
        when(r.getContentLengthLong()).thenReturn((long) json.length());
        when(r.getReader()).thenReturn(new BufferedReader(new StringReader(json)));
        when(r.getLocale()).thenReturn(Locale.ENGLISH);
        return r;
    }

    static HttpServletRequest post(String action, String json) throws Exception {
        return post(action, json, "XMLHttpRequest", "http://127.0.0.1:8080");
    }

    static HttpServletRequest get(String path, Locale locale) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn("GET");
        when(r.getProtocol()).thenReturn("HTTP/1.1");
        when(r.getPathInfo()).thenReturn(path);
        when(r.getLocale()).thenReturn(locale);
        return r;
    }

    /** The answer: status and body. */
    record Answer(int status, String body) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    Answer call(HttpServletRequest request) throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        AtomicInteger status = new AtomicInteger(200);
        org.mockito.Mockito.doAnswer(a -> {
            status.set(a.getArgument(0));
            return null;
        }).when(response).setStatus(org.mockito.ArgumentMatchers.anyInt());
        plugin.service(request, response);
        return new Answer(status.get(), body.toString());
    }

    @Test
    void theJsonListsEveryTunnelWithItsMappingsAndNoSecret() throws Exception {
        Answer a = call(get("/sshtunnels.json", Locale.ENGLISH));
        assertEquals(200, a.status());
        assertFalse(a.body().contains(SECRET), a.body());
        JsonObject ad = a.json().getAsJsonArray("tunnels").get(0).getAsJsonObject();
        assertEquals("ad", ad.get("name").getAsString());
        assertTrue(ad.get("owner").isJsonNull());
        assertEquals("DEGRADED", ad.get("state").getAsString());
        assertEquals("ssh.customer.example:8822", ad.get("server").getAsString());
        assertEquals("2026-12-01T10:00:00Z", ad.get("since").getAsString());
        assertEquals(1, ad.get("mappingsUp").getAsInt());
        assertEquals(2, ad.get("mappingsTotal").getAsInt());
        assertEquals(100, ad.get("bytesToTarget").getAsLong());
        assertEquals(2000, ad.get("bytesFromTarget").getAsLong());
        assertEquals(1, ad.get("openConnections").getAsLong());
        assertTrue(ad.get("passwordSet").getAsBoolean());
        assertTrue(ad.get("passphraseSet").getAsBoolean());
        assertFalse(ad.has("password"));
        assertFalse(ad.has("passphrase"));
        assertEquals("/etc/sshtunnel/id_ed25519", ad.get("privateKeyPath").getAsString());
        JsonObject gateway = ad.getAsJsonArray("mappings").get(1).getAsJsonObject();
        assertEquals("FAILED", gateway.get("state").getAsString());
        assertEquals("port 1712 is busy", gateway.get("reason").getAsString());
        assertTrue(gateway.get("gateway").getAsBoolean());
        assertEquals("0.0.0.0:1712", gateway.get("bindAddress").getAsString());
        assertEquals(1712, gateway.get("localPort").getAsInt());
        JsonObject ldap = ad.getAsJsonArray("mappings").get(0).getAsJsonObject();
        assertEquals("ldap", ldap.get("service").getAsString());
        assertEquals("LDAP", ldap.get("label").getAsString());
        assertEquals(389, ldap.get("remotePort").getAsInt());
        assertEquals(PortMapping.parse("L 1389:dc1.corp.local:389").explain(Locale.ENGLISH), ldap.get("explanation").getAsString());
        JsonObject dir = a.json().getAsJsonArray("tunnels").get(1).getAsJsonObject();
        assertEquals("com.example.directory", dir.get("owner").getAsString());
    }

    @Test
    void theExplanationsAreInTheBrowsersLanguage() throws Exception {
        Answer a = call(get("/sshtunnels.json", Locale.GERMANY));
        JsonObject ldap = a.json().getAsJsonArray("tunnels").get(0).getAsJsonObject().getAsJsonArray("mappings").get(0)
                .getAsJsonObject();
        assertEquals(PortMapping.parse("L 1389:dc1.corp.local:389").explain(Locale.GERMAN), ldap.get("explanation").getAsString());
    }

    @Test
    void aPostWithoutTheHeaderIsRefusedAndChangesNothing() throws Exception {
        Answer a = call(post("/delete", "{\"id\":\"" + ADMIN_PID + "\"}", null, "http://127.0.0.1:8080"));
        assertEquals(403, a.status());
        assertTrue(a.body().contains("X-Requested-With"), a.body());
        verifyNoInteractions(cm);
    }

    @Test
    void aPostFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        Answer a = call(post("/delete", "{\"id\":\"" + ADMIN_PID + "\"}", "XMLHttpRequest", "https://evil.example"));
        assertEquals(403, a.status());
        assertTrue(a.body().contains("evil.example"), a.body());
        verifyNoInteractions(cm);
        HttpServletRequest byReferer = post("/delete", "{\"id\":\"" + ADMIN_PID + "\"}", "XMLHttpRequest", null);
        when(byReferer.getHeader("Referer")).thenReturn("https://evil.example/page.html");
        assertEquals(403, call(byReferer).status());
        verifyNoInteractions(cm);
    }

    @Test
    void aPostFromThePageItselfIsAnswered() throws Exception {
        Answer a = call(post("/validate", "{\"name\":\"new\",\"serverHost\":\"h\",\"mappings\":[\"L *:1712:md:1712\"]}"));
        assertEquals(200, a.status());
        JsonObject m = a.json().getAsJsonArray("mappings").get(0).getAsJsonObject();
        assertTrue(m.get("gateway").getAsBoolean());
        assertTrue(m.get("explanation").getAsString().length() > 20);
        // a new tunnel is checked under a PID no configuration has: a saved one of the same name counts as another
        verify(runtime).check(eq("io.sshtunnel.tunnel~new~unsaved"), any(), eq(Locale.ENGLISH));
    }

    @Test
    void aFormPostIsRefused() throws Exception {
        HttpServletRequest r = post("/delete", "id=" + ADMIN_PID);
        when(r.getContentType()).thenReturn("application/x-www-form-urlencoded");
        assertEquals(415, call(r).status());
        verify(admin, never()).delete();
    }

    @Test
    void aModulesTunnelIsNeverChangedAndTheOwnerIsNamed() throws Exception {
        for (String action : List.of("/save", "/delete", "/disable", "/enable")) {
            Answer a = call(post(action, "{\"id\":\"" + MODULE_PID + "\",\"name\":\"directory\",\"serverHost\":\"evil\"}"));
            assertEquals(409, a.status(), action);
            assertTrue(a.json().get("error").getAsString().contains("owned by module \"com.example.directory\""), a.body());
        }
        verify(module, never()).update(any());
        verify(module, never()).delete();
    }

    @Test
    void aTunnelWhoseModuleIsNoLongerInstalledCanBeDeletedButNotChanged() throws Exception {
        installed.clear(); // com.example.directory was uninstalled for good; its tunnel stays DISABLED with its secrets
        when(cm.listConfigurations("(service.factoryPid=io.sshtunnel.tunnel)")).thenReturn(new Configuration[] { admin, module });
        JsonArray rows = call(get("/sshtunnels.json", Locale.ENGLISH)).json().getAsJsonArray("tunnels");
        assertTrue(rows.get(1).getAsJsonObject().get("ownerGone").getAsBoolean(), rows.toString()); // the page offers Delete
        assertNull(rows.get(0).getAsJsonObject().get("ownerGone"), rows.toString());
        for (String action : List.of("/save", "/disable", "/enable")) {
            Answer a = call(post(action, "{\"id\":\"" + MODULE_PID + "\",\"name\":\"directory\",\"serverHost\":\"evil\"}"));
            assertEquals(409, a.status(), action);
        }
        verify(module, never()).update(any());
        Answer a = call(post("/delete", "{\"id\":\"" + MODULE_PID + "\"}"));
        assertEquals(200, a.status(), a.body());
        verify(module).delete();
    }

    @Test
    void aTunnelMadeFromAFileIsChangedInItsFileNotHere() throws Exception {
        admin.getProperties().put("felix.fileinstall.filename", "file:/srv/conf/io.sshtunnel.tunnel-ad.cfg");
        when(admin.getChangeCount()).thenReturn(3L);
        when(cm.listConfigurations("(service.factoryPid=io.sshtunnel.tunnel)")).thenReturn(new Configuration[] { admin });
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"h\"}"));
        assertEquals(409, a.status());
        assertTrue(a.body().contains("made from the file file:/srv/conf/io.sshtunnel.tunnel-ad.cfg"), a.body());
        // a German reader gets the refusal in German, the code as it is
        HttpServletRequest german = post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"h\"}");
        when(german.getLocale()).thenReturn(Locale.GERMANY);
        Answer de = call(german);
        assertEquals(409, de.status());
        assertTrue(de.body().contains("stammt aus der Datei file:/srv/conf/io.sshtunnel.tunnel-ad.cfg: ihn dort \\u00e4ndern")
                || de.body().contains("stammt aus der Datei file:/srv/conf/io.sshtunnel.tunnel-ad.cfg: ihn dort ändern"), de.body());
        assertTrue(de.body().contains("\"code\":\"FILE_MADE\""), de.body());
        verify(admin, never()).update(any());
        JsonObject ad = call(get("/sshtunnels.json", Locale.ENGLISH)).json().getAsJsonArray("tunnels").get(0).getAsJsonObject();
        assertEquals("file:/srv/conf/io.sshtunnel.tunnel-ad.cfg", ad.get("file").getAsString());
        assertEquals(3, ad.get("version").getAsLong(), "the change count a save must still match");
    }

    @Test
    void anInvalidTunnelIsNotSavedAndTheFindingNamesItsField() throws Exception {
        Finding clash = new Finding(Severity.ERROR, "LOCAL_PORT_COLLISION", "mappings", 0,
                "mapping 1 \"L 2389:x:389\": local port 2389 is already used by tunnel \"directory\"");
        when(runtime.check(eq(ADMIN_PID), any(), any())).thenReturn(List.of(clash));
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":0,\"name\":\"ad\",\"serverHost\":\"h\","
                + "\"username\":\"u\",\"mappings\":[\"L 2389:x:389\"]}"));
        assertEquals(422, a.status());
        JsonObject f = a.json().getAsJsonArray("findings").get(0).getAsJsonObject();
        assertEquals("mappings", f.get("property").getAsString());
        assertEquals(0, f.get("mapping").getAsInt());
        assertEquals("LOCAL_PORT_COLLISION", f.get("code").getAsString());
        verify(admin, never()).update(any());
    }

    @Test
    void anUnchangedMaskedSecretKeepsTheStoredOneAndOtherPropertiesStay() throws Exception {
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":0,\"name\":\"ad\",\"serverHost\":\"SSH.customer.example\","
                + "\"serverPort\":\"8822\",\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\",\"passphrase\":\""
                + Candidate.MASK + "\",\"mappings\":[\"L 1389:dc1.corp.local:389 # LDAP\"]}"));
        assertEquals(200, a.status(), a.body());
        assertFalse(a.body().contains(SECRET));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(admin).update(saved.capture());
        assertEquals(SECRET, saved.getValue().get("password"));
        assertEquals(SECRET + "-key", saved.getValue().get("private.key.passphrase"));
        assertEquals("SSH.customer.example", saved.getValue().get("server.host"));
        assertEquals(8822, saved.getValue().get("server.port"));
        assertEquals(7, saved.getValue().get("keepalive.seconds"));
    }

    @Test
    void aChangedSecretReplacesTheStoredOneAndAnEmptyOneRemovesIt() throws Exception {
        call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":0,\"name\":\"ad\",\"serverHost\":\"h\",\"username\":\"svc\","
                + "\"password\":\" new secret \",\"passphrase\":\"\",\"mappings\":[]}"));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(admin).update(saved.capture());
        assertEquals(" new secret ", saved.getValue().get("password"));
        assertNull(saved.getValue().get("private.key.passphrase"));
    }

    @Test
    void aNewTunnelIsANamedFactoryConfigurationOfTheAdministrator() throws Exception {
        Configuration created = mock(Configuration.class);
        when(created.getPid()).thenReturn("io.sshtunnel.tunnel~crm");
        when(cm.getFactoryConfiguration("io.sshtunnel.tunnel", "crm", "?")).thenReturn(created);
        Answer a = call(post("/save", "{\"name\":\"crm\",\"serverHost\":\"h\",\"username\":\"u\",\"password\":\"p\","
                + "\"fingerprint\":\"SHA256:abc\",\"mappings\":[\"L 11433:crm:1433\"]}"));
        assertEquals(200, a.status(), a.body());
        assertEquals("io.sshtunnel.tunnel~crm", a.json().get("id").getAsString());
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(created).update(saved.capture());
        assertNull(saved.getValue().get("owner"));
        assertEquals("SHA256:abc", saved.getValue().get("fingerprint"));
        assertEquals(List.of("L 11433:crm:1433"), List.of((String[]) saved.getValue().get("mappings")));
    }

    @Test
    void aSaveFromAnEditorOpenedOnAnOlderVersionIsRefusedAndChangesNothing() throws Exception {
        when(admin.getChangeCount()).thenReturn(5L); // the engine pinned a key, or someone else saved, meanwhile
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":4,\"name\":\"ad\",\"serverHost\":\"ssh.customer.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\",\"mappings\":[]}"));
        assertEquals(409, a.status(), a.body());
        assertTrue(a.body().contains("was changed since version 4 (now 5"), a.body());
        assertTrue(a.body().contains("STALE_VERSION"), a.body());
        verify(admin, never()).update(any());

        Answer current = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":5,\"name\":\"ad\",\"serverHost\":\"ssh.customer.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\",\"mappings\":[]}"));
        assertEquals(200, current.status(), current.body());
        verify(admin).update(any());
    }

    @Test
    void aFieldOfTheWrongTypeIsTheRequestsFault() throws Exception {
        Answer a = call(post("/disable", "{\"id\":{\"pid\":\"" + ADMIN_PID + "\"}}"));
        assertEquals(400, a.status(), a.body());
        Answer b = call(post("/save", "{\"name\":\"x\",\"enabled\":{\"on\":true}}"));
        assertEquals(400, b.status(), b.body());
        verify(admin, never()).update(any());
    }

    @Test
    void aTakenNameIsRefusedOnTheNameField() throws Exception {
        // the validation bundle's rule, as the engine's check reports it for the candidate
        when(runtime.check(eq("io.sshtunnel.tunnel~directory~unsaved"), any(), any())).thenReturn(List.of(new io.sshtunnel.api.Finding(
                io.sshtunnel.api.Severity.ERROR, io.sshtunnel.api.FindingCodes.NAME_TAKEN, "name", io.sshtunnel.api.Finding.NO_MAPPING,
                "name \"directory\" is already the name of another tunnel")));
        Answer a = call(post("/save", "{\"name\":\"directory\",\"serverHost\":\"h\",\"username\":\"u\",\"password\":\"p\"}"));
        assertEquals(422, a.status());
        assertEquals("name", a.json().getAsJsonArray("findings").get(0).getAsJsonObject().get("property").getAsString());
        verify(cm, never()).getFactoryConfiguration(anyString(), anyString(), anyString());
    }

    @Test
    void theConnectionTestUsesTheStoredSecretForTheMaskAndAnswersWithoutIt() throws Exception {
        when(tester.test(any())).thenReturn(new ConnectionTestResult(ConnectionTestResult.Outcome.SUCCESS, "logged in as svc",
                "SHA256:xyz", true, Duration.ofMillis(42)));
        Answer a = call(post("/test", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"ssh.customer.example\","
                + "\"serverPort\":\"8822\",\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\"}"));
        assertEquals(200, a.status(), a.body());
        ArgumentCaptor<TunnelRequest> request = ArgumentCaptor.forClass(TunnelRequest.class);
        verify(tester).test(request.capture());
        assertEquals(SECRET, request.getValue().password());
        assertTrue(request.getValue().fingerprintRequired(), "a stored secret goes only to a key saved or trusted before");
        assertEquals(8822, request.getValue().serverPort());
        assertFalse(a.body().contains(SECRET));
        assertEquals("SHA256:xyz", a.json().get("fingerprint").getAsString());
        assertTrue(a.json().get("trustOnFirstUse").getAsBoolean());
        assertEquals("SUCCESS", a.json().get("outcome").getAsString());
    }

    @Test
    void aNewCandidatesMaskIsNoSecret() throws Exception {
        when(tester.test(any())).thenReturn(new ConnectionTestResult(ConnectionTestResult.Outcome.INCOMPLETE, "no credential",
                null, false, Duration.ZERO));
        Answer a = call(post("/test", "{\"name\":\"x\",\"serverHost\":\"h\",\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\"}"));
        assertEquals("INCOMPLETE", a.json().get("outcome").getAsString(), a.body());
        verify(tester, never()).test(any());
    }

    static java.util.stream.Stream<String> elsewhere() {
        return java.util.stream.Stream.of("\"serverHost\":\"evil.example\",\"serverPort\":8822,\"username\":\"svc\"",
                "\"serverHost\":\"ssh.customer.example\",\"serverPort\":2222,\"username\":\"svc\"",
                "\"serverHost\":\"ssh.customer.example\",\"serverPort\":8822,\"username\":\"root\"",
                "\"serverHost\":\"ssh.customer.example\",\"serverPort\":8822,\"username\":\"svc\",\"fingerprint\":"
                        + "\"SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("elsewhere")
    void aStoredSecretIsNeverTestedAgainstAnotherServerUserOrUnsavedKey(String server) throws Exception {
        for (String field : List.of("password", "passphrase")) {
            Answer a = call(post("/test", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\"," + server + ",\"" + field + "\":\""
                    + Candidate.MASK + "\",\"privateKeyPath\":\"/k\"}"));
            assertEquals(200, a.status(), a.body());
            assertEquals("INCOMPLETE", a.json().get("outcome").getAsString(), a.body());
            assertTrue(a.json().get("message").getAsString().contains("type the " + field + " again"), a.body());
            assertTrue(a.json().get("message").getAsString().contains("nothing was sent"), a.body());
        }
        verify(tester, never()).test(any());
    }

    @Test
    void aTypedSecretMayBeTestedAnywhere() throws Exception {
        when(tester.test(any())).thenReturn(new ConnectionTestResult(ConnectionTestResult.Outcome.SUCCESS, "ok", "SHA256:x", true,
                Duration.ofMillis(1)));
        call(post("/test", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"other.example\",\"username\":\"svc\","
                + "\"password\":\"typed\"}"));
        ArgumentCaptor<TunnelRequest> request = ArgumentCaptor.forClass(TunnelRequest.class);
        verify(tester).test(request.capture());
        assertEquals("typed", request.getValue().password());
        assertFalse(request.getValue().fingerprintRequired(), "trust on first use, as the operator typed it");
    }

    @Test
    void aStoredSecretWithNoKeyTrustedForTheServerIsNotSent() throws Exception {
        when(tester.test(any())).thenReturn(new ConnectionTestResult(ConnectionTestResult.Outcome.NOT_PINNED, "no fingerprint",
                null, false, Duration.ZERO));
        Answer a = call(post("/test", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"ssh.customer.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\"}"));
        assertTrue(a.json().get("message").getAsString().contains("type the secret again"), a.body());
    }

    @Test
    void aSaveThatMovesAStoredSecretToAnotherServerNeedsItTypedAgain() throws Exception {
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":0,\"name\":\"ad\",\"serverHost\":\"evil.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"password\":\"" + Candidate.MASK + "\",\"mappings\":[]}"));
        assertEquals(422, a.status(), a.body());
        assertEquals("password", a.json().getAsJsonArray("findings").get(0).getAsJsonObject().get("property").getAsString());
        verify(admin, never()).update(any());
        Answer typed = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"version\":0,\"name\":\"ad\",\"serverHost\":\"evil.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"password\":\"retyped\",\"mappings\":[]}"));
        assertEquals(200, typed.status(), typed.body());
    }

    @Test
    void aSaveOfAnExistingTunnelWithoutItsVersionIsRefused() throws Exception {
        Answer a = call(post("/save", "{\"id\":\"" + ADMIN_PID + "\",\"name\":\"ad\",\"serverHost\":\"ssh.customer.example\","
                + "\"serverPort\":8822,\"username\":\"svc\",\"mappings\":[]}"));
        assertEquals(428, a.status(), a.body());
        assertTrue(a.body().contains("send the version"), a.body());
        verify(admin, never()).update(any());
    }

    @Test
    void aValueOfTheWrongTypeIsA400NamingTheField() throws Exception {
        Answer a = call(post("/save", "{\"name\":\"x\",\"enabled\":\"maybe\",\"serverHost\":\"h\"}"));
        assertEquals(400, a.status(), a.body());
        assertTrue(a.body().contains("enabled \\\"maybe\\\" is not a boolean"), a.body());
        Answer b = call(post("/save", "{\"name\":\"x\",\"serverHost\":[\"h\"]}"));
        assertEquals(400, b.status(), b.body());
        assertTrue(b.body().contains("serverHost"), b.body());
        Answer c = call(post("/save", "{\"name\":\"x\",\"password\":{\"p\":\"hunter2\"}}"));
        assertEquals(400, c.status(), c.body());
        assertFalse(c.body().contains("hunter2"), "a secret is not quoted back: " + c.body());
        verify(cm, never()).getFactoryConfiguration(anyString(), anyString(), anyString());
    }

    @Test
    void connectionTestsAreBoundedPerClient() throws Exception {
        when(tester.test(any())).thenReturn(new ConnectionTestResult(ConnectionTestResult.Outcome.REFUSED, "refused", null, false,
                Duration.ofMillis(2)));
        int answered = 0;
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            Answer a = call(post("/test", "{\"name\":\"scan\",\"serverHost\":\"10.0.0.1\",\"serverPort\":" + (1000 + i)
                    + ",\"username\":\"u\",\"password\":\"p\"}"));
            if (a.status() == 429) {
                limited++;
            } else {
                answered++;
            }
        }
        assertTrue(answered <= RateLimit.BURST + 2, "answered " + answered);
        assertTrue(limited >= 20 - RateLimit.BURST - 2, "limited " + limited);
    }

    @Test
    void aBodyOverTheBoundIsA413() throws Exception {
        String huge = "{\"name\":\"x\",\"mappings\":[\"" + "L 1:a:1 # ".repeat(40_000) + "\"]}";
        assertEquals(413, call(post("/validate", huge)).status());
    }

    @Test
    void onlyTunnelConfigurationsAreTouched() throws Exception {
        Answer a = call(post("/delete", "{\"id\":\"org.apache.felix.webconsole.internal.servlet.OsgiManager\"}"));
        assertEquals(404, a.status());
        verifyNoInteractions(cm);
    }

    @Test
    void theAdministratorsTunnelIsDeletedAndDisabled() throws Exception {
        assertEquals(200, call(post("/disable", "{\"id\":\"" + ADMIN_PID + "\"}")).status());
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> saved = ArgumentCaptor.forClass(Dictionary.class);
        verify(admin).update(saved.capture());
        assertEquals(false, saved.getValue().get("enabled"));
        assertEquals(SECRET, saved.getValue().get("password"));
        assertEquals(200, call(post("/delete", "{\"id\":\"" + ADMIN_PID + "\"}")).status());
        verify(admin).delete();
    }
}
