package io.sshtunnel.ownership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortRange;
import io.sshtunnel.api.TunnelConstants;

/** The audit of module tunnels changed behind their module's back, and policies as bundles declare them. */
class OwnershipTest {
    private final ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
    private final Configuration stored = mock(Configuration.class);
    private final List<String> audit = new ArrayList<>();
    private Hashtable<String, Object> props = owned("SHA256:one");

    private static Hashtable<String, Object> owned(String fingerprint) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(TunnelConstants.NAME, "ad");
        p.put(TunnelConstants.OWNER, "com.example.directory");
        p.put(TunnelConstants.SERVER_HOST, "ssh.example");
        p.put(TunnelConstants.MAPPINGS, new String[] { "L 1389:dc1:389" });
        p.put(TunnelConstants.PASSWORD, "secret");
        if (fingerprint != null) {
            p.put(TunnelConstants.FINGERPRINT, fingerprint);
        }
        return p;
    }

    private Ownership ownership() throws Exception {
        when(stored.getPid()).thenReturn("io.sshtunnel.tunnel~ad");
        when(stored.getFactoryPid()).thenReturn(TunnelConstants.FACTORY_PID);
        when(stored.getProperties()).thenAnswer(i -> (Dictionary<String, Object>) props);
        when(cm.listConfigurations(anyString())).thenReturn(new Configuration[] { stored });
        return new Ownership(cm, audit::add);
    }

    private static ConfigurationEvent event(int type) {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> ref = mock(ServiceReference.class);
        return new ConfigurationEvent(ref, type, TunnelConstants.FACTORY_PID, "io.sshtunnel.tunnel~ad");
    }

    @Test
    void aModulesTunnelChangedBehindItsBackIsAuditedNamingTunnelOwnerAndWhatChanged() throws Exception {
        Ownership o = ownership();
        props = owned("SHA256:one");
        props.put(TunnelConstants.MAPPINGS, new String[] { "L 1390:dc1:389" });
        o.configurationEvent(event(ConfigurationEvent.CM_UPDATED));
        assertEquals(List.of("Audit: tunnel \"ad\" owned by module \"com.example.directory\" was changed outside its module (not"
                + " through its tunnel admin service): [mappings] changed; the module may not expect this"), audit);
        assertTrue(audit.stream().noneMatch(a -> a.contains("secret")));
    }

    @Test
    void theEngineWritingATrustedFingerprintIsNoChangeOfTheModules() throws Exception {
        Ownership o = ownership();
        props = owned("SHA256:two");
        o.configurationEvent(event(ConfigurationEvent.CM_UPDATED));
        assertEquals(List.of(), audit);
    }

    @Test
    void aModulesTunnelDeletedBehindItsBackIsAudited() throws Exception {
        Ownership o = ownership();
        o.configurationEvent(event(ConfigurationEvent.CM_DELETED));
        assertEquals(1, audit.size());
        assertTrue(audit.get(0).contains("tunnel \"ad\" owned by module \"com.example.directory\" was deleted outside its module"));
    }

    @Test
    void theAdministratorsTunnelsAreNotAudited() throws Exception {
        props.remove(TunnelConstants.OWNER);
        Ownership o = ownership();
        props.put(TunnelConstants.MAPPINGS, new String[] { "L 1390:dc1:389" });
        o.configurationEvent(event(ConfigurationEvent.CM_UPDATED));
        o.configurationEvent(event(ConfigurationEvent.CM_DELETED));
        assertEquals(List.of(), audit);
    }

    @Test
    void aDeclaredPolicyReadsListsAndCommaSeparatedText() {
        DeclaredPolicy p = DeclaredPolicy.of("m", Map.of("kinds", List.of("R"), "gateway", "false", "ports", "9100-9199, 6556",
                "templates", List.of("prometheus", "checkmk")));
        assertNull(p.problem());
        assertEquals(Set.of(MappingKind.R), p.allowedKinds());
        assertEquals(false, p.gatewayAllowed());
        assertEquals(List.of(new PortRange(9100, 9199), new PortRange(6556, 6556)), p.allowedBindPorts());
        assertEquals(Set.of("prometheus", "checkmk"), p.allowedTemplates());
        DeclaredPolicy open = DeclaredPolicy.of("m", Map.of());
        assertEquals(Set.of(MappingKind.L, MappingKind.R), open.allowedKinds());
        assertTrue(open.gatewayAllowed());
    }

    @Test
    void aPolicyThatCannotBeReadAllowsNothing() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("kinds", "L,X"), Map.of("gateway", "maybe"),
                Map.of("ports", "high"))) {
            DeclaredPolicy p = DeclaredPolicy.of("m", bad);
            assertTrue(p.problem() != null, bad.toString());
            assertEquals(Set.of(), p.allowedKinds(), bad.toString());
        }
    }

    // ---- no lock across the check or another tunnel's storage ------------------------------

    /** Config Admin with no tunnel stored; each created configuration is a fresh mock. */
    private Ownership empty(io.sshtunnel.api.TunnelRuntime runtime) throws Exception {
        when(cm.listConfigurations(anyString())).thenReturn(null);
        when(cm.getFactoryConfiguration(anyString(), anyString(), anyString())).thenAnswer(i -> {
            Configuration c = mock(Configuration.class);
            when(c.getPid()).thenReturn(TunnelConstants.FACTORY_PID + "~" + i.getArgument(1));
            return c;
        });
        return new Ownership(cm, audit::add).withRuntime(runtime);
    }

    private static io.sshtunnel.api.TunnelRequest request(String name, int port) {
        return io.sshtunnel.api.TunnelRequest.builder(name).server("ssh.example", 22).username("svc")
                .mappings(List.of(io.sshtunnel.api.PortMapping.parse("L " + port + ":dc1:389"))).build();
    }

    @Test
    void aSlowCheckOfOneModulesTunnelHoldsNoOtherModuleBack() throws Exception {
        io.sshtunnel.api.TunnelRuntime runtime = mock(io.sshtunnel.api.TunnelRuntime.class);
        java.util.concurrent.CountDownLatch inCheck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        when(runtime.tunnel(anyString())).thenReturn(java.util.Optional.empty());
        when(runtime.check(org.mockito.ArgumentMatchers.eq(TunnelConstants.FACTORY_PID + "~slow"), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any())).thenAnswer(i -> {
                    inCheck.countDown();
                    assertTrue(release.await(30, java.util.concurrent.TimeUnit.SECONDS)); // a check that binds sockets, slowly
                    return List.of();
                });
        when(runtime.check(org.mockito.ArgumentMatchers.eq(TunnelConstants.FACTORY_PID + "~quick"), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        Ownership o = empty(runtime);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<String> slow = other.submit(() -> o.create("com.example.slow", request("slow", 1389)));
            assertTrue(inCheck.await(30, java.util.concurrent.TimeUnit.SECONDS));
            // while the first is inside its check: another module's tunnel is created at once...
            assertEquals(TunnelConstants.FACTORY_PID + "~quick", o.create("com.example.quick", request("quick", 1390)));
            // ...and a second change of the same name is refused, not queued behind it
            io.sshtunnel.api.TunnelAdminException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.sshtunnel.api.TunnelAdminException.class, () -> o.create("com.example.other", request("slow", 1391)));
            assertEquals(io.sshtunnel.api.FindingCodes.NAME_TAKEN, e.findings().get(0).code());
            assertTrue(e.getMessage().contains("being changed by another request right now"), e.getMessage());
            release.countDown();
            assertEquals(TunnelConstants.FACTORY_PID + "~slow", slow.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            release.countDown();
            other.shutdownNow();
        }
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() throws Exception {
        io.sshtunnel.api.TunnelRuntime runtime = mock(io.sshtunnel.api.TunnelRuntime.class);
        when(runtime.tunnel(anyString())).thenReturn(java.util.Optional.empty());
        when(runtime.check(anyString(), org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        Ownership o = empty(runtime);
        o.create("com.example.directory", request("ad", 1389));
        org.mockito.ArgumentCaptor<Dictionary<String, Object>> written = org.mockito.ArgumentCaptor.forClass(Dictionary.class);
        // the stored configuration of "ad" as the module wrote it
        Hashtable<String, Object> stored = Ownership.properties(request("ad", 1389), "com.example.directory", null);
        Configuration ad = mock(Configuration.class);
        when(ad.getPid()).thenReturn(TunnelConstants.FACTORY_PID + "~ad");
        when(ad.getProperties()).thenReturn(stored);
        when(cm.listConfigurations(anyString())).thenReturn(new Configuration[] { ad });
        o.update("com.example.directory", "ad", request("ad", 1389)); // the module's start: the same request again
        org.mockito.Mockito.verify(ad, org.mockito.Mockito.never()).update(org.mockito.ArgumentMatchers.any());
        stored.put("x.later.setting", "kept"); // a property a request does not describe (one a later version adds)
        stored.put(TunnelConstants.TARGET_PROBE_SECONDS, 30);
        o.update("com.example.directory", "ad", request("ad", 1390).toBuilder().targetProbeSeconds(60).build());
        org.mockito.Mockito.verify(ad).update(written.capture());
        assertEquals(List.of("L 1390:dc1:389"), List.of((String[]) written.getValue().get(TunnelConstants.MAPPINGS)));
        assertEquals("kept", written.getValue().get("x.later.setting"), "an update keeps what it does not describe");
        assertEquals(60, written.getValue().get(TunnelConstants.TARGET_PROBE_SECONDS), "a module sets the target probe");
    }

    @Test
    void putSaysWhatCameOfTheChangeWithItsWarnings() throws Exception {
        io.sshtunnel.api.TunnelRuntime runtime = mock(io.sshtunnel.api.TunnelRuntime.class);
        when(runtime.tunnel(anyString())).thenReturn(java.util.Optional.empty());
        io.sshtunnel.api.Finding busy = new io.sshtunnel.api.Finding(io.sshtunnel.api.Severity.WARNING,
                io.sshtunnel.api.FindingCodes.LOCAL_PORT_IN_USE, TunnelConstants.MAPPINGS, 0, "local port 1389 is in use by another program now");
        when(runtime.check(anyString(), org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any())).thenReturn(List.of(busy));
        Ownership o = empty(runtime);
        io.sshtunnel.api.TunnelAdministration.Saved first = o.put("com.example.directory", request("ad", 1389));
        assertTrue(first.written());
        assertEquals(TunnelConstants.FACTORY_PID + "~ad", first.id());
        assertEquals(List.of(busy), first.findings(), "the warning comes back with the result");

        Configuration ad = mock(Configuration.class);
        when(ad.getPid()).thenReturn(TunnelConstants.FACTORY_PID + "~ad");
        when(ad.getProperties()).thenReturn(Ownership.properties(request("ad", 1389), "com.example.directory", null));
        when(cm.listConfigurations(anyString())).thenReturn(new Configuration[] { ad });
        io.sshtunnel.api.TunnelAdministration.Saved again = o.put("com.example.directory", request("ad", 1389));
        assertEquals(false, again.written(), "the same request at the next start writes nothing");
        org.mockito.Mockito.verify(ad, org.mockito.Mockito.never()).update(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void theAdministratorDisablesAndDeletesATunnelThatHasNoNameProperty() throws Exception {
        // made by the Configuration Manager or raw Config Admin: the engine names it by its PID
        Hashtable<String, Object> nameless = new Hashtable<>();
        nameless.put(TunnelConstants.SERVER_HOST, "ssh.example");
        nameless.put(TunnelConstants.MAPPINGS, new String[] { "L 1389:dc1:389" });
        Configuration c = mock(Configuration.class);
        when(c.getPid()).thenReturn(TunnelConstants.FACTORY_PID + "~x1");
        when(c.getFactoryPid()).thenReturn(TunnelConstants.FACTORY_PID);
        when(c.getProperties()).thenReturn(nameless);
        when(cm.listConfigurations(anyString())).thenReturn(new Configuration[] { c });
        Administration admin = new Administration(new Ownership(cm, audit::add));
        io.sshtunnel.api.TunnelAdministration.Saved off = admin.setEnabled(TunnelConstants.FACTORY_PID + "~x1", false, java.util.Locale.ENGLISH);
        assertTrue(off.written());
        org.mockito.ArgumentCaptor<Dictionary<String, Object>> written = org.mockito.ArgumentCaptor.forClass(Dictionary.class);
        org.mockito.Mockito.verify(c).update(written.capture());
        assertEquals(false, written.getValue().get(TunnelConstants.ENABLED));
        admin.delete(TunnelConstants.FACTORY_PID + "~x1");
        org.mockito.Mockito.verify(c).delete();
    }
}
