package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelValidator;
import io.sshtunnel.core.config.CfgFile;

/**
 * The engine without a framework: revalidation across tunnels (and without a validator), the
 * restore of a wiped configuration, and the fingerprint write-back. Workers run synchronously,
 * so every pass has finished when a call returns.
 */
class TunnelEngineTest {
    static final String FP = TunnelSupervisorTest.FP;
    final FakeEnvironment env = new FakeEnvironment();
    final FakeRegistry services = new FakeRegistry();
    final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    final ConfigWriter writer = new ConfigWriter(configAdmin, false, StandardCharsets.ISO_8859_1);
    final TunnelEngine engine = new TunnelEngine(env, writer, ServicePublisher::new, java.time.Duration.ZERO);
    final CollisionValidator validator = new CollisionValidator();

    @TempDir
    Path tmp;

    @AfterEach
    void tearDown() {
        engine.deactivate();
    }

    /** A validator with one rule: an L port another tunnel already holds is an error. */
    final class CollisionValidator implements TunnelValidator {
        final List<String> checked = new ArrayList<>();
        final List<String> lockedOut = new ArrayList<>();

        @Override
        public List<Finding> validate(TunnelSpec candidate, Collection<TunnelSpec> others, Locale locale) {
            checked.add(candidate.name());
            // the real validator asks the engine which ports its own tunnels hold; from another thread
            // that must not wait for a lock the calling thread holds
            try {
                CompletableFuture.supplyAsync(engine::tunnels).get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                lockedOut.add(candidate.name());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            List<Finding> out = new ArrayList<>();
            for (int i = 0; i < candidate.mappings().size(); i++) {
                PortMapping m = candidate.mappings().get(i);
                for (TunnelSpec o : others) {
                    if (o.mappings().stream().anyMatch(x -> x.kind() == m.kind() && x.bindPort() == m.bindPort())) {
                        out.add(Finding.mappingError(FindingCodes.LOCAL_PORT_COLLISION, i,
                                "local port " + m.bindPort() + " is already used by tunnel \"" + o.name() + "\""));
                    }
                }
            }
            return out;
        }
    }

    static Map<String, Object> props(String name, String... mappings) {
        Map<String, Object> p = TunnelSupervisorTest.props(mappings);
        p.put(NAME, name);
        return p;
    }

    static String pid(String name) {
        return FACTORY_PID + "~" + name;
    }

    void open(String name, String... mappings) {
        engine.open(services.context, pid(name), props(name, mappings));
    }

    TunnelStatus status(String name) {
        return engine.tunnel(name).orElseThrow();
    }

    static List<String> codes(TunnelStatus s, Severity severity) {
        return s.findings().stream().filter(f -> f.severity() == severity).map(Finding::code).collect(Collectors.toList());
    }

    // ---- modules --------------------------------------------------------------------------------

    @Test
    void aModulesTunnelRunsOnlyWhileTheModuleIsActive() {
        engine.addValidator(validator);
        Map<String, Object> p = props("ad", TunnelSupervisorTest.LDAP);
        p.put(OWNER, "com.example.directory");
        engine.open(services.context, pid("ad"), p);
        TunnelStatus held = status("ad");
        assertEquals(TunnelState.DISABLED, held.state());
        assertTrue(held.reason().contains("module \"com.example.directory\" is not active"), held.reason());
        assertEquals(List.of(), env.requests, "never connects for an inactive module");

        env.thenConnect(new FakeLink(FP));
        Map<String, Object> module = Map.of(MODULE_NAME, "com.example.directory");
        engine.addModule(() -> "com.example.directory", module);
        assertEquals(TunnelState.UP, status("ad").state());

        engine.removeModule(() -> "com.example.directory", module);
        TunnelStatus released = status("ad");
        assertEquals(TunnelState.DISABLED, released.state());
        assertTrue(released.reason().contains("the configuration is kept"), released.reason());

        env.thenConnect(new FakeLink(FP));
        engine.addModule(() -> "com.example.directory", module);
        assertEquals(TunnelState.UP, status("ad").state(), "back with its module");
    }

    @Test
    void theStatusSaysFindingsAndReasonsInTheReadersLanguageAndTheLogsInEnglish() {
        io.sshtunnel.api.TunnelValidator speaking = new io.sshtunnel.api.TunnelValidator() {
            @Override
            public List<Finding> validate(io.sshtunnel.api.TunnelSpec candidate, java.util.Collection<io.sshtunnel.api.TunnelSpec> others,
                    java.util.Locale locale) {
                return List.of(Finding.error(FindingCodes.HOST_SYNTAX, "server.host",
                        "de".equals(locale.getLanguage()) ? "auf Deutsch" : "in English"));
            }
        };
        engine.addValidator(speaking);
        open("ad", TunnelSupervisorTest.LDAP);
        TunnelStatus s = status("ad");
        assertEquals(TunnelState.INVALID, s.state());
        assertEquals("in English", s.findings().get(0).message());
        assertEquals("auf Deutsch", s.findings(java.util.Locale.GERMAN).get(0).message());
        assertEquals("in English", s.findings(java.util.Locale.ENGLISH).get(0).message());
        assertTrue(s.reason().contains("in English"), s.reason());
        assertTrue(s.reason(java.util.Locale.GERMAN).contains("auf Deutsch"), s.reason(java.util.Locale.GERMAN));

        Map<String, Object> p = props("held", "L 1390:dc1.corp.local:389");
        p.put(OWNER, "com.example.directory");
        engine.removeValidator(speaking);
        engine.addValidator(validator);
        engine.open(services.context, pid("held"), p);
        TunnelStatus held = status("held");
        assertTrue(held.reason().startsWith("its module \"com.example.directory\" is not active"), held.reason());
        assertTrue(held.reason(java.util.Locale.GERMAN).startsWith("sein Modul \"com.example.directory\" ist nicht aktiv"),
                held.reason(java.util.Locale.GERMAN));
    }

    @Test
    void theAdministratorsTunnelsDoNotWaitForAnyModule() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("ad", TunnelSupervisorTest.LDAP);
        assertEquals(TunnelState.UP, status("ad").state());
    }

    @Test
    void checkSaysWhatTheEngineWouldSayWithoutSavingAnything() {
        assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), engine.check(pid("new"), props("new", TunnelSupervisorTest.LDAP),
                java.util.Locale.ENGLISH).stream().map(Finding::code).collect(Collectors.toList()));
        engine.addValidator(validator);
        assertEquals(List.of(FindingCodes.MAPPING_SYNTAX), engine.check(pid("new"), props("new", "L 0:dc1:389"),
                java.util.Locale.ENGLISH).stream().filter(Finding::isError).map(Finding::code).collect(Collectors.toList()));
        assertTrue(engine.tunnel("new").isEmpty());
        assertEquals(List.of(), env.requests);
    }

    @Test
    void aRowThatCannotBeReadHidesNoFindingOfTheOtherRowsAndEachStaysAtItsRow() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("ad", TunnelSupervisorTest.LDAP);
        assertEquals(TunnelState.UP, status("ad").state());
        // row 1 cannot be read (port 70000); row 2 collides with "ad": both are said, each at its row
        List<Finding> found = engine.check(pid("new"), props("new", "L 70000:dc1:389", TunnelSupervisorTest.LDAP), java.util.Locale.ENGLISH);
        Finding syntax = found.stream().filter(f -> f.code().equals(FindingCodes.MAPPING_SYNTAX)).findFirst().orElseThrow();
        Finding collision = found.stream().filter(f -> f.code().equals(FindingCodes.LOCAL_PORT_COLLISION)).findFirst()
                .orElseThrow(() -> new AssertionError(found.toString()));
        assertEquals(0, syntax.mappingIndex());
        assertEquals(1, collision.mappingIndex(), found::toString);
    }

    @Test
    void aFindingMovedToItsRowIsCountedAsTheOperatorCounts() {
        Finding f = Finding.mappingError(FindingCodes.LOCAL_PORT_COLLISION, 0, "mapping 1 \"L 1389:dc:389\": local port 1389 is taken");
        Finding moved = Revalidation.renumbered(f, 2);
        assertEquals(2, moved.mappingIndex());
        assertEquals("mapping 3 \"L 1389:dc:389\": local port 1389 is taken", moved.message());
        assertEquals("Mapping 3 x", Revalidation.renumbered(Finding.mappingError("X", 0, "Mapping 1 x"), 2).message());
    }

    // ---- revalidation ------------------------------------------------------------------------

    @Test
    void aTunnelConnectsOnlyAfterAValidatorPassedIt() {
        open("ad", TunnelSupervisorTest.LDAP);

        TunnelStatus waiting = status("ad");
        assertEquals(TunnelState.INVALID, waiting.state());
        assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), codes(waiting, Severity.ERROR));
        assertTrue(waiting.reason().contains("starts as soon as the service is back"), waiting.reason());
        assertEquals(List.of(), env.requests, "never connects unchecked");

        env.thenConnect(new FakeLink(FP));
        engine.addValidator(validator);

        assertEquals(TunnelState.UP, status("ad").state());
        assertEquals(List.of(), status("ad").findings());
        assertEquals(1, env.requests.size());
    }

    @Test
    void atStartUpATunnelWaitsQuietlyForTheValidatorBeforeItSaysItCannotBeChecked() {
        TunnelEngine starting = new TunnelEngine(env, writer, ServicePublisher::new, java.time.Duration.ofSeconds(10));
        try {
            starting.open(services.context, pid("ad"), props("ad", TunnelSupervisorTest.LDAP));
            TunnelStatus waiting = starting.tunnel("ad").orElseThrow();
            assertEquals(TunnelState.DISABLED, waiting.state());
            assertEquals(List.of(), waiting.findings());
            assertEquals(List.of(), env.events, "no INVALID flashes by while the validation bundle starts");

            env.thenConnect(new FakeLink(FP));
            starting.addValidator(validator);
            assertEquals(TunnelState.UP, starting.tunnel("ad").orElseThrow().state());
            assertTrue(env.topics().stream().noneMatch(t -> t.endsWith("/INVALID")), env.topics().toString());
        } finally {
            starting.deactivate();
        }
    }

    @Test
    void withoutAValidatorAfterTheGraceATunnelSaysItCannotBeChecked() {
        TunnelEngine starting = new TunnelEngine(env, writer, ServicePublisher::new, java.time.Duration.ofSeconds(10));
        try {
            starting.open(services.context, pid("ad"), props("ad", TunnelSupervisorTest.LDAP));
            assertEquals(TunnelState.DISABLED, starting.tunnel("ad").orElseThrow().state());

            env.clock.advance(java.time.Duration.ofSeconds(10));
            env.timer.onlyPending().run();

            TunnelStatus s = starting.tunnel("ad").orElseThrow();
            assertEquals(TunnelState.INVALID, s.state());
            assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), codes(s, Severity.ERROR));
            assertEquals(List.of(), env.requests);
        } finally {
            starting.deactivate();
        }
    }

    @Test
    void aRunningTunnelKeepsRunningWhileTheValidatorIsAwayAndSaysSo() {
        engine.addValidator(validator);
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        open("ad", TunnelSupervisorTest.LDAP);
        assertEquals(TunnelState.UP, status("ad").state());

        engine.removeValidator(validator);

        TunnelStatus alone = status("ad");
        assertEquals(TunnelState.UP, alone.state());
        assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), codes(alone, Severity.WARNING));
        assertTrue(link.open, "the connection was not touched");

        engine.addValidator(validator);

        assertEquals(TunnelState.UP, status("ad").state());
        assertEquals(List.of(), status("ad").findings(), "checked again as soon as the validator returned");
        assertEquals(1, env.requests.size());
    }

    @Test
    void aTunnelWhoseKeyWasPinnedJustAsTheValidatorWentAwayKeepsRunning() {
        engine.addValidator(validator);
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        open("ad", TunnelSupervisorTest.LDAP);
        engine.removeValidator(validator);

        // the engine's own write-back of the key it trusted on first use arrives as a new configuration
        Map<String, Object> pinned = props("ad", TunnelSupervisorTest.LDAP);
        pinned.put(FINGERPRINT, FP);
        engine.update(pid("ad"), pinned);

        assertEquals(TunnelState.UP, status("ad").state());
        assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), codes(status("ad"), Severity.WARNING));
        assertTrue(link.open, "the connection was not touched");
    }

    @Test
    void aTunnelChangedWhileTheValidatorIsAwayWaitsForIt() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("ad", TunnelSupervisorTest.LDAP);
        engine.removeValidator(validator);

        engine.update(pid("ad"), props("ad", TunnelSupervisorTest.LDAP, "L 1636:dc1.corp.local:636"));

        assertEquals(TunnelState.INVALID, status("ad").state());
        assertEquals(List.of(FindingCodes.VALIDATION_UNAVAILABLE), codes(status("ad"), Severity.ERROR));

        env.thenConnect(new FakeLink(FP));
        engine.addValidator(validator);

        assertEquals(TunnelState.UP, status("ad").state());
        assertEquals(2, status("ad").mappings().size());
    }

    @Test
    void ofTwoCollidingTunnelsTheFirstKeepsThePortAndTheSecondStartsWhenTheFirstGoes() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("first", TunnelSupervisorTest.LDAP);
        open("second", "L 1389:dc2.corp.local:389");

        assertEquals(TunnelState.UP, status("first").state());
        TunnelStatus refused = status("second");
        assertEquals(TunnelState.INVALID, refused.state());
        assertEquals(List.of(FindingCodes.LOCAL_PORT_COLLISION), codes(refused, Severity.ERROR));
        assertTrue(refused.reason().contains("tunnel \"first\""), refused.reason());

        env.thenConnect(new FakeLink(FP));
        engine.close(pid("first"));

        assertEquals(TunnelState.UP, status("second").state());
        assertEquals(List.of(), status("second").findings());
    }

    @Test
    void aRefusedTunnelNeverBlocksALaterOne() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP)).thenConnect(new FakeLink(FP));
        open("a", "L 1389:dc1:389");
        open("b", "L 1389:dc2:389", "L 1433:sql:1433"); // refused for 1389
        open("c", "L 1433:sql2:1433"); // 1433 is b's, but b holds nothing

        assertEquals(TunnelState.UP, status("a").state());
        assertEquals(TunnelState.INVALID, status("b").state());
        assertEquals(TunnelState.UP, status("c").state());
    }

    @Test
    void theValidatorIsCalledWithoutTheEnginesLockAndTheEngineAnswersMeanwhile() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP)).thenConnect(new FakeLink(FP));
        open("a", "L 1389:dc1:389");
        open("b", "L 1390:dc1:389");
        engine.update(pid("a"), props("a", "L 1391:dc1:389"));
        engine.close(pid("b"));

        assertTrue(validator.checked.size() >= 4, validator.checked.toString());
        assertEquals(List.of(), validator.lockedOut, "the engine was locked while a validator ran");
    }

    @Test
    void aValidatorThatThrowsIsReportedAndDoesNotStopTheOthers() {
        engine.addValidator((candidate, others, locale) -> {
            throw new IllegalStateException("boom");
        });
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("ad", TunnelSupervisorTest.LDAP);

        TunnelStatus s = status("ad");
        assertEquals(TunnelState.UP, s.state());
        assertEquals(List.of(FindingCodes.INTERNAL), codes(s, Severity.WARNING));
        assertEquals(List.of("ad"), validator.checked.stream().distinct().collect(Collectors.toList()));
    }

    // ---- restore -------------------------------------------------------------------------------

    Configuration stored(String pid, Dictionary<String, Object> properties) throws Exception {
        Configuration c = mock(Configuration.class);
        when(c.getProperties()).thenAnswer(i -> properties == null ? null : copy(properties));
        when(configAdmin.listConfigurations("(service.pid=" + pid + ")")).thenReturn(new Configuration[] { c });
        return c;
    }

    static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            h.put(key, d.get(key));
        }
        return h;
    }

    @Test
    void aWipedConfigurationIsRestoredInsteadOfApplied() throws Exception {
        engine.addValidator(validator);
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        open("ad", TunnelSupervisorTest.LDAP);
        Configuration c = stored(pid("ad"), new Hashtable<>(Map.of(NAME, "ad")));

        Map<String, Object> wiped = new HashMap<>(Map.of(NAME, "ad", "felix.fileinstall.filename", "file:/x.cfg"));
        engine.update(pid("ad"), wiped);

        assertEquals(TunnelState.UP, status("ad").state(), "the tunnel was not taken down");
        assertTrue(link.open);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> put = ArgumentCaptor.forClass(Dictionary.class);
        verify(c).updateIfDifferent(put.capture());
        assertEquals("ssh.customer.example", put.getValue().get(SERVER_HOST));
        assertEquals(TunnelSupervisorTest.PASSWORD_VALUE, put.getValue().get(PASSWORD));
        assertNull(put.getValue().get("component.id"), "nothing of SCR's is written back");
    }

    @Test
    void aRestoreWritesBackThePlaceholderNeverTheSecretItStandsFor() throws Exception {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        // Config Admin's interpolation plugin gives the component the secret; the store keeps the placeholder
        Map<String, Object> resolved = props("ad", TunnelSupervisorTest.LDAP);
        Hashtable<String, Object> asStored = new Hashtable<>(resolved);
        asStored.put(PASSWORD, "$[secret:customer-ad]");
        Configuration c = stored(pid("ad"), asStored);
        engine.open(services.context, pid("ad"), resolved);

        engine.update(pid("ad"), new HashMap<>(Map.of(NAME, "ad", "felix.fileinstall.filename", "file:/x.cfg")));

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> put = ArgumentCaptor.forClass(Dictionary.class);
        verify(c).updateIfDifferent(put.capture());
        assertEquals("$[secret:customer-ad]", put.getValue().get(PASSWORD));
        assertEquals("ssh.customer.example", put.getValue().get(SERVER_HOST));
    }

    @Test
    void aConfigurationEmptiedOnPurposeBeforeItWasEverGoodIsApplied() {
        engine.addValidator(validator);
        engine.open(services.context, pid("empty"), new HashMap<>(Map.of(NAME, "empty")));
        engine.update(pid("empty"), new HashMap<>(Map.of(NAME, "empty", KEEPALIVE_SECONDS, 7)));

        assertEquals(7, status("empty").spec().keepaliveSeconds(), "no good configuration to restore: the edit counts");
    }

    // ---- fingerprint write-back ------------------------------------------------------------------

    @Test
    void aTrustedFingerprintGoesIntoConfigAdminAndIntoTheCfgFileItCameFrom() throws Exception {
        Path cfg = tmp.resolve("io.sshtunnel.tunnel-ad.cfg");
        Files.writeString(cfg, "# the customer's AD\nname = ad\npassword = secret\n", StandardCharsets.ISO_8859_1);
        Hashtable<String, Object> props = new Hashtable<>(Map.of(NAME, "ad", CfgFile.FILEINSTALL_FILENAME, cfg.toUri().toString()));
        Configuration c = stored(pid("ad"), props);

        writer.persistFingerprint(pid("ad"), FP);

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> put = ArgumentCaptor.forClass(Dictionary.class);
        verify(c).updateIfDifferent(put.capture());
        assertEquals(FP, put.getValue().get(FINGERPRINT));
        assertEquals("# the customer's AD\nname = ad\npassword = secret\nfingerprint = " + FP + "\n",
                Files.readString(cfg, StandardCharsets.ISO_8859_1));
    }

    @Test
    void anEditMadeWhileTheFingerprintIsBeingPinnedIsNotLost() throws Exception {
        // the operator disables the tunnel between the writer's read and its write
        Hashtable<String, Object> before = new Hashtable<>(Map.of(NAME, "ad", ENABLED, true));
        Hashtable<String, Object> after = new Hashtable<>(Map.of(NAME, "ad", ENABLED, false));
        Configuration c = mock(Configuration.class);
        when(configAdmin.listConfigurations("(service.pid=" + pid("ad") + ")")).thenReturn(new Configuration[] { c });
        when(c.getChangeCount()).thenReturn(1L, 2L, 2L, 2L);
        when(c.getProperties()).thenReturn(copy(before), copy(before), copy(before), copy(after), copy(after));

        writer.persistFingerprint(pid("ad"), FP);

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> put = ArgumentCaptor.forClass(Dictionary.class);
        verify(c).updateIfDifferent(put.capture());
        assertEquals(false, put.getValue().get(ENABLED), "the operator's edit stays");
        assertEquals(FP, put.getValue().get(FINGERPRINT));
    }

    @Test
    void aFingerprintPinnedMeanwhileIsNeverOverwritten() throws Exception {
        Configuration c = stored(pid("ad"), new Hashtable<>(Map.of(NAME, "ad", FINGERPRINT, TunnelSupervisorTest.OTHER_FP)));

        writer.persistFingerprint(pid("ad"), FP);

        verify(c, never()).updateIfDifferent(any());
        verify(c, never()).update(any());
    }

    @Test
    void aMissingConfigurationIsNoErrorAndIsNotMadeAgain() throws Exception {
        when(configAdmin.listConfigurations(anyString())).thenReturn(null);
        assertEquals(ConfigWriter.Outcome.GONE, writer.persistFingerprint(pid("gone"), FP), "not FAILED: nothing went wrong");
        assertEquals(ConfigWriter.Outcome.GONE, writer.restore(pid("gone"), Map.of(NAME, "gone")));
        verify(configAdmin, never()).getConfiguration(anyString(), any());
        verify(configAdmin, never()).getFactoryConfiguration(anyString(), anyString(), any());
        verify(configAdmin, never()).createFactoryConfiguration(anyString(), any());
    }

    @Test
    void theEngineWritesTheFingerprintItTrustedOnFirstUse() {
        engine.addValidator(validator);
        env.thenConnect(new FakeLink(FP));
        open("ad", TunnelSupervisorTest.LDAP);

        assertEquals(List.of(pid("ad") + " " + FP), env.persisted);
    }
}
