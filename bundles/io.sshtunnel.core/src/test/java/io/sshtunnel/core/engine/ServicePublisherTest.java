package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.core.config.ConfigReader;
import io.sshtunnel.core.config.ParsedConfig;

class ServicePublisherTest {
    static final String PID = "io.sshtunnel.tunnel~ad";
    static final String SECRET = "Secret-Pw-1";
    static final String PHRASE = "Secret-Phrase-2";

    final FakeRegistry registry = new FakeRegistry();
    final ServicePublisher publisher = new ServicePublisher(registry.context);
    final Tunnel service = mock(Tunnel.class);

    static TunnelSpec spec(String owner, String host, Object port, String... mappings) {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, host);
        p.put(SERVER_PORT, port);
        p.put(USERNAME, "svc");
        p.put(PASSWORD, SECRET);
        p.put(PRIVATE_KEY_PASSPHRASE, PHRASE);
        if (owner != null) {
            p.put(OWNER, owner);
        }
        p.put(MAPPINGS, mappings);
        ParsedConfig c = ConfigReader.read(PID, p);
        assertEquals(List.of(), c.findings());
        return c.spec();
    }

    static TunnelSpec spec() {
        return spec("com.example.pbx", "ssh.customer.example", 8822, "L 1389:dc1.corp.local:389 # LDAP",
                "L *:1712:metadir.corp.local:1712", "R 2222:localhost:22", "R *:9100:localhost:9100", "L [::1]:1433:[2001:db8::7]:1433");
    }

    static MappingStatus active(TunnelSpec spec, int index) {
        return new MappingStatus(index, spec.mappings().get(index), MappingState.ACTIVE, null, Instant.EPOCH, null);
    }

    static TunnelEndpoint endpoint(TunnelSpec spec, int index) {
        PortMapping m = spec.mappings().get(index);
        return new Endpoint(spec.id(), spec.name(), spec.owner(), m, InetSocketAddress.createUnresolved(m.effectiveBindHost(), m.bindPort()));
    }

    // ---- the Tunnel service --------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = TunnelState.class, names = { "DISABLED", "INVALID", "CONNECTING", "RETRYING", "FAILED" })
    void noTunnelServiceWhileNotConnected(TunnelState state) {
        publisher.tunnel(service, spec(), state);
        assertEquals(List.of(), registry.history());
        assertFalse(publisher.tunnelRegistered());
    }

    @ParameterizedTest
    @EnumSource(value = TunnelState.class, names = { "UP", "DEGRADED" })
    void theTunnelServiceIsRegisteredWhenConnectedWithTheContractsProperties(TunnelState state) {
        publisher.tunnel(service, spec(), state);

        verify(registry.context).registerService(eq(Tunnel.class), same(service), any(Dictionary.class));
        FakeRegistry.Reg r = registry.only(Tunnel.class);
        assertSame(service, r.service);
        assertEquals(Map.of(TUNNEL_ID, PID, TUNNEL_NAME, "ad", TUNNEL_OWNER, "com.example.pbx", TUNNEL_STATE, state.name(),
                SSH_SERVER, "ssh.customer.example:8822"), r.properties);
        assertTrue(publisher.tunnelRegistered());
    }

    @Test
    void aTunnelWithoutOwnerHasNoOwnerProperty() {
        TunnelSpec s = spec(null, "2001:db8::22", 22, "R 2222:localhost:22");
        publisher.tunnel(service, s, TunnelState.UP);
        Map<String, Object> p = registry.only(Tunnel.class).properties;
        assertFalse(p.containsKey(TUNNEL_OWNER), p.toString());
        assertEquals("[2001:db8::22]:22", p.get(SSH_SERVER));
    }

    @Test
    void upToDegradedUpdatesThePropertiesOfTheSameRegistration() {
        TunnelSpec s = spec();
        publisher.tunnel(service, s, TunnelState.UP);
        publisher.tunnel(service, s, TunnelState.DEGRADED);

        verify(registry.context, times(1)).registerService(eq(Tunnel.class), any(Tunnel.class), any(Dictionary.class));
        FakeRegistry.Reg r = registry.only(Tunnel.class);
        assertEquals("DEGRADED", r.get(TUNNEL_STATE));
        assertEquals(1, r.updates);
        assertEquals(PID, r.get(TUNNEL_ID));

        publisher.tunnel(service, s, TunnelState.UP);
        assertEquals("UP", registry.only(Tunnel.class).get(TUNNEL_STATE));
        assertEquals(1, registry.history().size());
    }

    @ParameterizedTest
    @EnumSource(value = TunnelState.class, names = { "RETRYING", "FAILED", "DISABLED", "INVALID", "CONNECTING" })
    void leavingTheConnectedStatesUnregistersTheTunnel(TunnelState state) {
        publisher.tunnel(service, spec(), TunnelState.DEGRADED);
        publisher.tunnel(service, spec(), state);

        assertEquals(List.of(), registry.live(Tunnel.class));
        assertTrue(registry.history().get(0).unregistered);
        assertFalse(publisher.tunnelRegistered());

        publisher.tunnel(service, spec(), TunnelState.UP);
        assertEquals("UP", registry.only(Tunnel.class).get(TUNNEL_STATE), "registered anew when it comes back");
        assertEquals(2, registry.history().size());
    }

    // ---- TunnelEndpoint services ---------------------------------------------------------------

    @Test
    void anEndpointCarriesTheMappingProperties() {
        TunnelSpec s = spec();
        TunnelEndpoint ldap = endpoint(s, 0);
        publisher.endpointUp(s, active(s, 0), ldap);

        verify(registry.context).registerService(eq(TunnelEndpoint.class), same(ldap), any(Dictionary.class));
        FakeRegistry.Reg r = registry.only(TunnelEndpoint.class);
        Map<String, Object> expected = new HashMap<>();
        expected.put(TUNNEL_ID, PID);
        expected.put(TUNNEL_NAME, "ad");
        expected.put(TUNNEL_OWNER, "com.example.pbx");
        expected.put(SSH_SERVER, "ssh.customer.example:8822");
        expected.put(MAPPING_KIND, "L");
        expected.put(MAPPING_GATEWAY, false);
        expected.put(MAPPING_BIND_HOST, "127.0.0.1");
        expected.put(MAPPING_BIND_PORT, 1389);
        expected.put(MAPPING_TARGET_HOST, "dc1.corp.local");
        expected.put(MAPPING_TARGET_PORT, 389);
        expected.put(MAPPING_LABEL, "LDAP");
        assertEquals(expected, r.properties);
        assertEquals(1, publisher.endpointCount());
    }

    @Test
    void endpointPropertiesForEveryKindOfMapping() {
        TunnelSpec s = spec();
        for (int i = 0; i < s.mappings().size(); i++) {
            publisher.endpointUp(s, active(s, i), endpoint(s, i));
        }
        assertEquals(5, registry.live(TunnelEndpoint.class).size());

        FakeRegistry.Reg gatewayL = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 1712);
        assertEquals("L", gatewayL.get(MAPPING_KIND));
        assertEquals(true, gatewayL.get(MAPPING_GATEWAY));
        assertEquals("0.0.0.0", gatewayL.get(MAPPING_BIND_HOST));
        assertFalse(gatewayL.properties.containsKey(MAPPING_LABEL), "no label, no property");

        FakeRegistry.Reg ssh = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 2222);
        assertEquals("R", ssh.get(MAPPING_KIND));
        assertEquals(false, ssh.get(MAPPING_GATEWAY));
        assertEquals("localhost", ssh.get(MAPPING_BIND_HOST));
        assertEquals("localhost", ssh.get(MAPPING_TARGET_HOST));
        assertEquals(22, ssh.get(MAPPING_TARGET_PORT));

        FakeRegistry.Reg exporter = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 9100);
        assertEquals("R", exporter.get(MAPPING_KIND));
        assertEquals(true, exporter.get(MAPPING_GATEWAY));
        assertEquals("*", exporter.get(MAPPING_BIND_HOST));

        FakeRegistry.Reg v6 = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 1433);
        assertEquals("::1", v6.get(MAPPING_BIND_HOST));
        assertEquals(false, v6.get(MAPPING_GATEWAY));
        assertEquals("2001:db8::7", v6.get(MAPPING_TARGET_HOST));
    }

    @Test
    void noServicePropertyEverCarriesASecret() {
        TunnelSpec s = spec();
        publisher.tunnel(service, s, TunnelState.UP);
        for (int i = 0; i < s.mappings().size(); i++) {
            publisher.endpointUp(s, active(s, i), endpoint(s, i));
        }
        assertEquals(6, registry.history().size());
        for (FakeRegistry.Reg r : registry.history()) {
            for (Map.Entry<String, Object> e : r.properties.entrySet()) {
                assertFalse(e.getKey().contains("password") || e.getKey().contains("passphrase"), r.toString());
                assertFalse(String.valueOf(e.getValue()).contains(SECRET), r.toString());
                assertFalse(String.valueOf(e.getValue()).contains(PHRASE), r.toString());
            }
        }
    }

    @Test
    void endpointDownUnregistersOnlyThatEndpoint() {
        TunnelSpec s = spec();
        publisher.endpointUp(s, active(s, 0), endpoint(s, 0));
        publisher.endpointUp(s, active(s, 2), endpoint(s, 2));

        publisher.endpointDown(0);
        assertEquals(2222, registry.only(TunnelEndpoint.class).get(MAPPING_BIND_PORT));
        assertEquals(1, publisher.endpointCount());

        publisher.endpointDown(0);
        publisher.endpointDown(4);
        assertEquals(1, registry.live(TunnelEndpoint.class).size(), "unknown or repeated indexes change nothing");
    }

    @Test
    void anEndpointComingUpAgainReplacesItsEarlierRegistration() {
        TunnelSpec s = spec();
        publisher.endpointUp(s, active(s, 0), endpoint(s, 0));
        publisher.endpointUp(s, active(s, 0), endpoint(s, 0));
        assertEquals(2, registry.history().size());
        assertTrue(registry.history().get(0).unregistered);
        assertEquals(1389, registry.only(TunnelEndpoint.class).get(MAPPING_BIND_PORT));
    }

    @Test
    void movingAnEndpointRekeysItAndUpdatesItsProperties() {
        TunnelSpec before = spec(null, "ssh", 22, "L 1433:sql:1433", "L 1389:dc1:389 # LDAP");
        publisher.endpointUp(before, active(before, 1), endpoint(before, 1));
        TunnelSpec after = spec(null, "ssh", 22, "L 1389:dc1:389 # directory");

        publisher.moveEndpoints(after, Map.of(1, active(after, 0)));

        FakeRegistry.Reg r = registry.only(TunnelEndpoint.class);
        assertEquals("directory", r.get(MAPPING_LABEL));
        assertEquals(1, registry.history().size(), "the same registration, not a new one");
        publisher.endpointDown(1);
        assertEquals(1, registry.live(TunnelEndpoint.class).size(), "no longer known under its old index");
        publisher.endpointDown(0);
        assertEquals(List.of(), registry.live(TunnelEndpoint.class));
    }

    @Test
    void twoEndpointsSwappingPlacesKeepTheirOwnRegistrations() {
        TunnelSpec before = spec(null, "ssh", 22, "L 1389:dc1:389", "R 2222:localhost:22");
        publisher.endpointUp(before, active(before, 0), endpoint(before, 0));
        publisher.endpointUp(before, active(before, 1), endpoint(before, 1));
        TunnelSpec after = spec(null, "ssh", 22, "R 2222:localhost:22", "L 1389:dc1:389");

        publisher.moveEndpoints(after, Map.of(0, active(after, 1), 1, active(after, 0)));

        assertEquals(2, registry.history().size());
        FakeRegistry.Reg ldap = registry.history().get(0);
        FakeRegistry.Reg ssh = registry.history().get(1);
        assertEquals(1389, ldap.get(MAPPING_BIND_PORT), "each registration keeps its own mapping's properties");
        assertEquals("L", ldap.get(MAPPING_KIND));
        assertEquals(2222, ssh.get(MAPPING_BIND_PORT));
        assertEquals(1389, ((TunnelEndpoint) ldap.service).mapping().bindPort());

        publisher.endpointDown(0);
        assertTrue(ssh.unregistered, "index 0 is now the R mapping");
        assertFalse(ldap.unregistered);
        publisher.endpointDown(1);
        assertTrue(ldap.unregistered);
    }

    @Test
    void aMoveOntoAnIndexThatWasRemovedFirstDoesNotDropAnything() {
        TunnelSpec before = spec(null, "ssh", 22, "L 1389:dc1:389", "L 1712:metadir:1712", "R 2222:localhost:22");
        for (int i = 0; i < 3; i++) {
            publisher.endpointUp(before, active(before, i), endpoint(before, i));
        }
        TunnelSpec after = spec(null, "ssh", 22, "L 1389:dc1:389", "R 2222:localhost:22");

        publisher.endpointDown(1); // the removed mapping goes first
        publisher.moveEndpoints(after, Map.of(0, active(after, 0), 2, active(after, 1)));

        assertEquals(List.of(1389, 2222), registry.live(TunnelEndpoint.class).stream()
                .map(r -> r.get(MAPPING_BIND_PORT)).collect(java.util.stream.Collectors.toList()));
        assertEquals(2, publisher.endpointCount());
        publisher.endpointsDown();
        assertEquals(List.of(), registry.live(TunnelEndpoint.class));
    }

    @Test
    void closeAllUnregistersEverything() {
        TunnelSpec s = spec();
        publisher.tunnel(service, s, TunnelState.UP);
        publisher.endpointUp(s, active(s, 0), endpoint(s, 0));
        publisher.endpointUp(s, active(s, 3), endpoint(s, 3));

        publisher.closeAll();

        assertTrue(registry.history().stream().allMatch(r -> r.unregistered), registry.history().toString());
        assertFalse(publisher.tunnelRegistered());
        assertEquals(0, publisher.endpointCount());
        publisher.closeAll();
    }

    @Test
    void aRegistrationAlreadyGoneDoesNotStopTheCleanUp() {
        TunnelSpec s = spec();
        publisher.tunnel(service, s, TunnelState.UP);
        publisher.endpointUp(s, active(s, 0), endpoint(s, 0));
        publisher.endpointUp(s, active(s, 1), endpoint(s, 1));
        // the framework already dropped them (e.g. the bundle is stopping)
        registry.history().get(0).registration.unregister();
        registry.history().get(1).registration.unregister();

        publisher.closeAll();

        assertEquals(List.of(), registry.live(TunnelEndpoint.class));
        assertEquals(List.of(), registry.live(Tunnel.class));
        verify(registry.history().get(2).registration).unregister();
        verify(registry.history().get(0).registration, times(2)).unregister();
        verify(registry.history().get(0).registration, never()).setProperties(any());
    }
}
