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
}
