package io.sshtunnel.core.engine;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.Tunnel;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.core.config.ConfigReader;
import io.sshtunnel.core.config.ParsedConfig;
import io.sshtunnel.core.ssh.ForwardHandle;
import io.sshtunnel.core.ssh.SshFailure;

class TunnelSupervisorTest {
    static final String PID = "io.sshtunnel.tunnel~customer";
    static final String PASSWORD_VALUE = "Winter2025!-secret";
    static final String FP = "SHA256:" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE";
    static final String OTHER_FP = "SHA256:" + "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210+/ZyXwV";
    static final String LDAP = "L 1389:dc1.corp.local:389 # LDAP";
    static final String METADIR = "L *:1712:metadir.corp.local:1712";
    static final String SSH_BACK = "R 2222:localhost:22";

    final FakeEnvironment env = new FakeEnvironment();
    final FakeRegistry registry = new FakeRegistry();
    TunnelSupervisor supervisor;

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close(1000);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static Map<String, Object> props(String... mappings) {
        Map<String, Object> p = new HashMap<>();
        p.put(SERVER_HOST, "ssh.customer.example");
        p.put(SERVER_PORT, 8822);
        p.put(USERNAME, "svc");
        p.put(PASSWORD, PASSWORD_VALUE);
        p.put(MAPPINGS, mappings);
        return p;
    }

    static ParsedConfig config(Map<String, Object> p) {
        return ConfigReader.read(PID, p);
    }

    static ParsedConfig config(String... mappings) {
        ParsedConfig c = config(props(mappings));
        assertEquals(List.of(), c.findings());
        return c;
    }

    static ParsedConfig with(String key, Object value, String... mappings) {
        Map<String, Object> p = props(mappings);
        p.put(key, value);
        return config(p);
    }

    TunnelSupervisor start(ParsedConfig c) {
        supervisor = new TunnelSupervisor(c, env, new ServicePublisher(registry.context));
        supervisor.start();
        return supervisor;
    }

    TunnelStatus status() {
        return supervisor.status();
    }

    MappingStatus mapping(int index) {
        return status().mappings().get(index);
    }

    Set<Integer> liveEndpointPorts() {
        return registry.live(TunnelEndpoint.class).stream().map(r -> (Integer) r.get(MAPPING_BIND_PORT)).collect(Collectors.toSet());
    }

    void assertNoServices() {
        assertEquals(List.of(), registry.live(Tunnel.class));
        assertEquals(List.of(), registry.live(TunnelEndpoint.class));
    }

    /** Every endpoint registration is unique per port and carries the properties of its mapping. */
    void assertEndpointsMatch(String... mappings) {
        assertEquals(mappings.length, registry.live(TunnelEndpoint.class).size(), registry.live(TunnelEndpoint.class).toString());
        for (String m : mappings) {
            io.sshtunnel.api.PortMapping pm = io.sshtunnel.api.PortMapping.parse(m);
            FakeRegistry.Reg r = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, pm.bindPort());
            assertEquals(pm.kind().name(), r.get(MAPPING_KIND), r.toString());
            assertEquals(pm.targetHost(), r.get(MAPPING_TARGET_HOST), r.toString());
            assertEquals(pm.targetPort(), r.get(MAPPING_TARGET_PORT), r.toString());
            assertEquals(pm.label(), r.get(MAPPING_LABEL), r.toString());
            assertEquals(pm, ((TunnelEndpoint) r.service).mapping(), r.toString());
        }
    }

    // ---- connecting ----------------------------------------------------------------------------

    @Test
    void aValidConfigurationConnectsAndComesUpWithEveryMappingActive() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);

        start(config(LDAP, METADIR, SSH_BACK));

        assertEquals(List.of(TunnelState.CONNECTING, TunnelState.UP), env.states());
        TunnelStatus s = status();
        assertEquals(TunnelState.UP, s.state());
        assertNull(s.reason());
        assertNull(s.nextAttempt());
        assertEquals(0, s.attempts());
        assertEquals(FP, s.serverFingerprint());
        assertEquals(List.of(MappingState.ACTIVE, MappingState.ACTIVE, MappingState.ACTIVE),
                s.mappings().stream().map(MappingStatus::state).collect(Collectors.toList()));
        assertEquals(1, env.requests.size());
        assertEquals("svc@ssh.customer.example:8822", env.requests.get(0).toString());
        assertEquals(List.of(LDAP, METADIR, SSH_BACK), link.forwarded);

        verify(registry.context).registerService(eq(Tunnel.class), same(supervisor), any(Dictionary.class));
        verify(registry.context, times(3)).registerService(eq(TunnelEndpoint.class), any(TunnelEndpoint.class), any(Dictionary.class));
        FakeRegistry.Reg tunnel = registry.only(Tunnel.class);
        assertEquals(Map.of(TUNNEL_ID, PID, TUNNEL_NAME, "customer", TUNNEL_STATE, "UP", SSH_SERVER, "ssh.customer.example:8822"),
                tunnel.properties);
        assertEndpointsMatch(LDAP, METADIR, SSH_BACK);
        FakeRegistry.Reg ldap = registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 1389);
        assertEquals(PID, ldap.get(TUNNEL_ID));
        assertEquals("127.0.0.1", ldap.get(MAPPING_BIND_HOST));
        assertEquals(false, ldap.get(MAPPING_GATEWAY));
        assertEquals(true, registry.live(TunnelEndpoint.class, MAPPING_BIND_PORT, 1712).get(MAPPING_GATEWAY));
        assertEquals("127.0.0.1:1389", ((TunnelEndpoint) ldap.service).address().getHostString() + ":"
                + ((TunnelEndpoint) ldap.service).address().getPort());

        assertEquals(List.of(TOPIC_TUNNEL + "CONNECTING", TOPIC_MAPPING + "ACTIVE", TOPIC_MAPPING + "ACTIVE",
                TOPIC_MAPPING + "ACTIVE", TOPIC_TUNNEL + "UP"), env.topics());
        assertEquals(List.of(), env.timer.pending(), "nothing to retry");
        assertEquals(1, env.timer.periodic().size(), "the keepalive ticks");
        assertEquals(1000, env.timer.periodic().get(0).periodMillis);
    }

    @Test
    void theTunnelServiceIsTheSupervisorAndReportsItsStatus() {
        env.thenConnect(new FakeLink(FP));
        start(config(LDAP));
        Tunnel t = (Tunnel) registry.only(Tunnel.class).service;
        assertEquals(PID, t.id());
        assertEquals("customer", t.name());
        assertEquals(TunnelState.UP, t.status().state());
    }

    // ---- a mapping that fails ------------------------------------------------------------------

    @Test
    void aFailingForwardDegradesTheTunnelAndIsRetriedOnTheLiveConnection() {
        FakeLink link = new FakeLink(FP).failing(1712, new BindException("Address already in use"));
        env.thenConnect(link);

        start(config(LDAP, METADIR, SSH_BACK));

        assertEquals(TunnelState.DEGRADED, status().state());
        assertEquals(MappingState.ACTIVE, mapping(0).state());
        assertEquals(MappingState.FAILED, mapping(1).state());
        assertEquals(MappingState.ACTIVE, mapping(2).state());
        assertEquals("local port 0.0.0.0:1712 is already in use on this machine (Address already in use); retried until it is free",
                mapping(1).reason());
        assertTrue(status().reason().startsWith(METADIR + ": local port 0.0.0.0:1712 is already in use"), status().reason());

        assertEquals("DEGRADED", registry.only(Tunnel.class).get(TUNNEL_STATE));
        assertEquals(Set.of(1389, 2222), liveEndpointPorts());
        FakeEnvironment.Event failed = env.events.stream().filter(e -> e.topic.equals(TOPIC_MAPPING + "FAILED")).findFirst().orElseThrow();
        assertEquals(1712, failed.properties.get(MAPPING_BIND_PORT));
        assertEquals(1, failed.properties.get(EVENT_MAPPING_INDEX));
        assertEquals(mapping(1).reason(), failed.properties.get(EVENT_REASON));

        ManualScheduler.Task retry = env.timer.onlyPending();
        assertEquals(500, retry.delayMillis, "first retry after half a second (random 0)");

        link.failures.clear();
        retry.run();

        assertEquals(TunnelState.UP, status().state());
        assertEquals(MappingState.ACTIVE, mapping(1).state());
        assertNull(mapping(1).reason());
        assertEquals("UP", registry.only(Tunnel.class).get(TUNNEL_STATE));
        assertEquals(1, registry.history().stream().filter(r -> r.type == Tunnel.class).count(), "updated, not registered again");
        assertEndpointsMatch(LDAP, METADIR, SSH_BACK);
        assertEquals(List.of(), env.timer.pending());
        assertEquals(1, env.requests.size(), "the connection was kept");
        assertEquals(TOPIC_TUNNEL + "UP", env.topics().get(env.topics().size() - 1));
    }

    @Test
    void aMappingThatKeepsFailingBacksOffAndReportsOnlyTheFirstFailure() {
        FakeLink link = new FakeLink(FP).failing(2222, new IOException("administratively prohibited"));
        env.thenConnect(link);
        start(config(LDAP, SSH_BACK));
        assertTrue(mapping(1).reason().startsWith("the SSH server refused to listen on localhost:2222 (administratively prohibited)"),
                mapping(1).reason());

        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ManualScheduler.Task retry = env.timer.onlyPending();
            delays.add(retry.delayMillis);
            retry.run();
            assertEquals(TunnelState.DEGRADED, status().state());
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L), delays);
        assertEquals(1, env.topics().stream().filter(t -> t.equals(TOPIC_MAPPING + "FAILED")).count());
        assertEquals(6, link.forwarded.size());
    }

    // ---- connection failures -------------------------------------------------------------------

    @Test
    void aNetworkFailureRetriesWithBackOffUntilItConnects() {
        env.thenFail(SshFailure.Kind.NETWORK, "connection to ssh.customer.example:8822 refused (no SSH server listening there?)");

        start(config(LDAP, SSH_BACK));

        TunnelStatus s = status();
        assertEquals(TunnelState.RETRYING, s.state());
        assertEquals("connection to ssh.customer.example:8822 refused (no SSH server listening there?)", s.reason());
        assertEquals(1, s.attempts());
        assertEquals(env.clock.now.plusMillis(500), s.nextAttempt());
        assertEquals(List.of(MappingState.PENDING, MappingState.PENDING),
                s.mappings().stream().map(MappingStatus::state).collect(Collectors.toList()));
        assertNoServices();
        assertEquals(List.of(TOPIC_TUNNEL + "CONNECTING", TOPIC_TUNNEL + "RETRYING"), env.topics());
        assertEquals(s.reason(), env.events.get(1).properties.get(EVENT_REASON));
        ManualScheduler.Task first = env.timer.onlyPending();
        assertEquals(500, first.delayMillis);

        env.clock.advance(Duration.ofMillis(500));
        env.thenFail(SshFailure.Kind.TIMEOUT, "no TCP connection to ssh.customer.example:8822 within 15 s");
        first.run();

        assertEquals(2, env.requests.size());
        assertEquals(TunnelState.RETRYING, status().state());
        assertEquals(2, status().attempts());
        assertEquals("no TCP connection to ssh.customer.example:8822 within 15 s", status().reason());
        ManualScheduler.Task second = env.timer.onlyPending();
        assertEquals(1000, second.delayMillis, "the back-off doubles");
        assertEquals(env.clock.now.plusMillis(1000), status().nextAttempt());

        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        second.run();

        assertEquals(3, env.requests.size());
        assertEquals(TunnelState.UP, status().state());
        assertEquals(0, status().attempts());
        assertNull(status().nextAttempt());
        assertNull(status().reason());
        assertEquals("UP", registry.only(Tunnel.class).get(TUNNEL_STATE));
        assertEndpointsMatch(LDAP, SSH_BACK);
    }

    @Test
    void theReconnectDelayIsCappedByReconnectMaxSeconds() {
        env.random = 1.0;
        env.thenFail(SshFailure.Kind.NETWORK, "refused");
        start(with(RECONNECT_MAX_SECONDS, 3, LDAP));
        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ManualScheduler.Task t = env.timer.onlyPending();
            delays.add(t.delayMillis);
            env.thenFail(SshFailure.Kind.NETWORK, "refused");
            t.run();
        }
        assertEquals(List.of(1000L, 2000L, 3000L, 3000L, 3000L), delays);
        assertEquals(6, env.requests.size());
    }

    @ParameterizedTest
    @EnumSource(value = SshFailure.Kind.class, names = { "AUTH_REJECTED", "HOST_KEY_MISMATCH" })
    void aPermanentFailureIsNotRetriedUntilTheConfigurationChanges(SshFailure.Kind kind) {
        String why = kind + ": check the configuration";
        env.thenFail(kind, why);

        start(config(LDAP));

        assertEquals(TunnelState.FAILED, status().state());
        assertEquals(why, status().reason());
        assertNull(status().nextAttempt());
        assertEquals(List.of(), env.timer.pending(), "no reconnect scheduled");
        assertEquals(List.of(), env.timer.periodic());
        assertNoServices();
        assertEquals(List.of(TOPIC_TUNNEL + "CONNECTING", TOPIC_TUNNEL + "FAILED"), env.topics());

        supervisor.update(config(LDAP));
        assertEquals(1, env.requests.size(), "the same configuration again does not retry");
        assertEquals(TunnelState.FAILED, status().state());

        env.thenConnect(new FakeLink(FP));
        Map<String, Object> changed = props(LDAP);
        changed.put(kind == SshFailure.Kind.AUTH_REJECTED ? PASSWORD : FINGERPRINT,
                kind == SshFailure.Kind.AUTH_REJECTED ? "the-right-one" : FP);
        supervisor.update(config(changed));
        assertEquals(2, env.requests.size(), "a changed configuration tries again");
        assertEquals(TunnelState.UP, status().state());
    }

    // ---- configurations that do not connect ----------------------------------------------------

    @Test
    void aConfigurationWithErrorsIsInvalidAndNeverConnects() {
        Map<String, Object> p = props(LDAP, "L 0:dc1:389");
        p.put(SERVER_PORT, 70000);
        // the reader's finding (an unparsable mapping) and the validator's (a rule), as the engine merges them
        ParsedConfig bad = config(p).withFindings(List.of(io.sshtunnel.api.Finding.error(io.sshtunnel.api.FindingCodes.PORT_RANGE,
                SERVER_PORT, "server.port 70000 is outside 1-65535: give a number from 1 to 65535")));

        start(bad);

        TunnelStatus s = status();
        assertEquals(TunnelState.INVALID, s.state());
        assertTrue(s.reason().contains("server.port 70000 is outside 1-65535"), s.reason());
        assertTrue(s.reason().contains("mapping \"L 0:dc1:389\" has port 0"), s.reason());
        assertEquals(bad.findings(), s.findings());
        assertTrue(s.findings().stream().anyMatch(f -> f.property().equals(SERVER_PORT) && f.isError()));
        assertEquals(List.of(), env.requests);
        assertEquals(List.of(), env.timer.all());
        assertNoServices();
        assertEquals(List.of(TOPIC_TUNNEL + "INVALID"), env.topics());
    }

    @Test
    void validatorFindingsMakeItInvalidToo() {
        ParsedConfig c = config(LDAP).withFindings(List.of(Finding.mappingError("PORT_COLLISION", 0,
                "mapping 0 \"L 1389:dc1.corp.local:389\": local port 1389 is already used by tunnel \"ad\" (mapping 1)")));
        start(c);
        assertEquals(TunnelState.INVALID, status().state());
        assertTrue(status().reason().contains("already used by tunnel \"ad\""), status().reason());
        assertEquals(List.of(), env.requests);
    }

    @Test
    void aDisabledTunnelStaysDownUntilEnabled() {
        start(with(ENABLED, false, LDAP));

        assertEquals(TunnelState.DISABLED, status().state());
        assertEquals("enabled is false", status().reason());
        assertEquals(List.of(), env.requests);
        assertEquals(List.of(), env.timer.all());
        assertNoServices();

        env.thenConnect(new FakeLink(FP));
        supervisor.update(config(LDAP));
        assertEquals(TunnelState.UP, status().state());
        assertEquals(1, env.requests.size());
    }

    @Test
    void disablingAConnectedTunnelTakesItDown() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP, SSH_BACK));

        supervisor.update(with(ENABLED, "false", LDAP, SSH_BACK));

        assertEquals(TunnelState.DISABLED, status().state());
        assertFalse(link.open, "the connection is closed");
        verify(link.handle(1389)).close();
        verify(link.handle(2222)).close();
        assertNoServices();
        assertEquals(List.of(), env.timer.pending());
        assertEquals(List.of(), env.timer.periodic(), "keepalive stopped");
        assertEquals(1, env.requests.size());
    }

    @Test
    void anUpdateMakingTheConfigurationInvalidTakesTheTunnelDown() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP));

        supervisor.update(with(SERVER_HOST, "bad host", LDAP).withFindings(List.of(io.sshtunnel.api.Finding.error(
                io.sshtunnel.api.FindingCodes.HOST_SYNTAX, SERVER_HOST, "server.host \"bad host\" is not a host name or IP address"))));

        assertEquals(TunnelState.INVALID, status().state());
        assertTrue(status().reason().contains("server.host \"bad host\""), status().reason());
        assertFalse(link.open);
        assertNoServices();
    }

    // ---- losing the connection -----------------------------------------------------------------

    @Test
    void aLostConnectionUnregistersEverythingAndReconnects() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP, METADIR));
        assertEquals(1, registry.live(Tunnel.class).size());
        env.events.clear();

        link.drop("server disconnected: Server shutting down");

        TunnelStatus s = status();
        assertEquals(TunnelState.RETRYING, s.state());
        assertEquals("connection lost: server disconnected: Server shutting down", s.reason());
        assertEquals(env.clock.now.plusMillis(500), s.nextAttempt());
        assertNoServices();
        assertTrue(registry.history().stream().allMatch(r -> r.unregistered));
        assertEquals(List.of(MappingState.PENDING, MappingState.PENDING),
                s.mappings().stream().map(MappingStatus::state).collect(Collectors.toList()));
        verify(link.handle(1389)).close();
        verify(link.handle(1712)).close();
        assertEquals(List.of(), env.timer.periodic(), "keepalive stopped");
        assertEquals(List.of(TOPIC_MAPPING + "FAILED", TOPIC_MAPPING + "FAILED", TOPIC_TUNNEL + "RETRYING"), env.topics());
        assertEquals("connection lost", env.events.get(0).properties.get(EVENT_REASON));

        FakeLink again = new FakeLink(FP);
        env.thenConnect(again);
        env.timer.onlyPending().run();

        assertEquals(2, env.requests.size());
        assertEquals(TunnelState.UP, status().state());
        assertEndpointsMatch(LDAP, METADIR);
        assertEquals(1, registry.live(Tunnel.class).size());
        assertEquals(1, env.timer.periodic().size());
    }

    @Test
    void aConnectionThatWasStableResetsTheBackOff() {
        env.thenFail(SshFailure.Kind.NETWORK, "refused");
        start(config(LDAP));
        FakeLink first = new FakeLink(FP);
        env.thenConnect(first);
        env.timer.onlyPending().run();
        assertEquals(TunnelState.UP, status().state());

        first.drop("connection reset");
        assertEquals(1000, env.timer.onlyPending().delayMillis, "a connection that died at once does not reset the back-off");

        FakeLink second = new FakeLink(FP);
        env.thenConnect(second);
        env.timer.onlyPending().run();
        env.clock.advance(TunnelSupervisor.STABLE);
        second.drop("connection reset");
        assertEquals(500, env.timer.onlyPending().delayMillis, "after a stable connection the back-off starts again");
    }

    @Test
    void theCloseOfAnEarlierLinkIsIgnored() {
        FakeLink first = new FakeLink(FP);
        FakeLink second = new FakeLink(OTHER_FP);
        env.thenConnect(first).thenConnect(second);
        start(config(LDAP));
        supervisor.update(with(SERVER_HOST, "ssh2.customer.example", LDAP));
        assertFalse(first.open);
        assertEquals(TunnelState.UP, status().state());

        first.closeListeners.forEach(l -> l.accept("late close notification"));

        assertEquals(TunnelState.UP, status().state());
        assertEquals(List.of(), env.timer.pending());
        assertEndpointsMatch(LDAP);
    }

    // ---- configuration updates on a live connection --------------------------------------------

    @Test
    void removingAMappingClosesOnlyThatForward() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP, METADIR, SSH_BACK));
        ForwardHandle ldap = link.handle(1389);
        ForwardHandle metadir = link.handle(1712);
        ForwardHandle back = link.handle(2222);

        supervisor.update(config(LDAP, SSH_BACK));

        verify(metadir).close();
        verify(ldap, never()).close();
        verify(back, never()).close();
        verify(link.mock, never()).close();
        assertEquals(1, env.requests.size(), "no reconnect");
        assertEquals(3, link.forwarded.size(), "nothing reopened");
        assertEquals(TunnelState.UP, status().state());
        assertEquals(List.of(LDAP, SSH_BACK),
                status().mappings().stream().map(m -> m.mapping().format()).collect(Collectors.toList()));
        assertEquals(List.of(0, 1), status().mappings().stream().map(MappingStatus::index).collect(Collectors.toList()));

        assertEndpointsMatch(LDAP, SSH_BACK);

        link.drop("gone");
        assertNoServices();
        assertTrue(registry.history().stream().allMatch(r -> r.unregistered), "no registration leaked: " + registry.history());
    }

    @Test
    void addingAMappingInFrontOpensOnlyThatForward() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP, SSH_BACK));

        supervisor.update(config(METADIR, LDAP, SSH_BACK));

        assertEquals(List.of(LDAP, SSH_BACK, METADIR), link.forwarded);
        verify(link.handle(1389), never()).close();
        verify(link.handle(2222), never()).close();
        assertEquals(1, env.requests.size());
        assertEquals(TunnelState.UP, status().state());
        assertEndpointsMatch(METADIR, LDAP, SSH_BACK);

        link.drop("gone");
        assertTrue(registry.history().stream().allMatch(r -> r.unregistered), "no registration leaked: " + registry.history());
    }

    @Test
    void reorderingMappingsKeepsEveryForwardAndItsService() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP, METADIR, SSH_BACK));

        supervisor.update(config(SSH_BACK, LDAP, METADIR));

        assertEquals(3, link.forwarded.size());
        link.allHandles.forEach(h -> verify(h, never()).close());
        assertEndpointsMatch(SSH_BACK, LDAP, METADIR);
        assertEquals(3, registry.history().stream().filter(r -> r.type == TunnelEndpoint.class).count());

        link.drop("gone");
        assertTrue(registry.history().stream().allMatch(r -> r.unregistered), "no registration leaked: " + registry.history());
    }

    @Test
    void aNewLabelIsPublishedWithoutReopeningTheForward() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP));

        supervisor.update(config("L 1389:dc1.corp.local:389 # Active Directory"));

        assertEquals(1, link.forwarded.size());
        verify(link.handle(1389), never()).close();
        assertEquals("Active Directory", registry.only(TunnelEndpoint.class).get(MAPPING_LABEL));
        assertEquals("Active Directory", mapping(0).mapping().label());
    }

    @Test
    void aChangedServerReconnects() {
        FakeLink first = new FakeLink(FP);
        FakeLink second = new FakeLink(FP);
        env.thenConnect(first).thenConnect(second);
        start(config(LDAP));

        supervisor.update(with(SERVER_PORT, 22, LDAP));

        assertFalse(first.open);
        verify(first.handle(1389)).close();
        assertEquals(2, env.requests.size());
        assertEquals("svc@ssh.customer.example:22", env.requests.get(1).toString());
        assertEquals(TunnelState.UP, status().state());
        assertEquals("ssh.customer.example:22", registry.only(Tunnel.class).get(SSH_SERVER));
        assertEndpointsMatch(LDAP);
    }

    @Test
    void aChangedServerWhileRetryingConnectsAtOnce() {
        env.thenFail(SshFailure.Kind.NETWORK, "refused");
        start(config(LDAP));
        ManualScheduler.Task scheduled = env.timer.onlyPending();

        env.thenConnect(new FakeLink(FP));
        supervisor.update(with(SERVER_HOST, "ssh-backup.customer.example", LDAP));

        assertTrue(scheduled.isCancelled(), "the old attempt is cancelled");
        assertEquals("svc@ssh-backup.customer.example:8822", env.requests.get(1).toString());
        assertEquals(TunnelState.UP, status().state());
    }

    @Test
    void changedMappingsWhileRetryingWaitForTheScheduledAttempt() {
        env.thenFail(SshFailure.Kind.NETWORK, "refused");
        start(config(LDAP));
        ManualScheduler.Task scheduled = env.timer.onlyPending();

        supervisor.update(config(LDAP, SSH_BACK));

        assertEquals(1, env.requests.size());
        assertEquals(TunnelState.RETRYING, status().state());
        assertEquals(2, status().mappings().size());
        assertFalse(scheduled.isCancelled());

        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        scheduled.run();
        assertEquals(List.of(LDAP, SSH_BACK), link.forwarded);
        assertEndpointsMatch(LDAP, SSH_BACK);
    }

    // ---- host key trust ------------------------------------------------------------------------

    @Test
    void trustOnFirstUsePersistsTheSeenFingerprintAndKeepsTheConnection() {
        FakeLink link = new FakeLink(FP);
        env.thenConnect(link);
        start(config(LDAP));

        assertEquals(List.of(PID + " " + FP), env.persisted);

        // Config Admin hands the configuration back with the fingerprint filled in
        supervisor.update(with(FINGERPRINT, FP, LDAP));

        assertEquals(1, env.requests.size(), "the connection already uses that key");
        assertTrue(link.open);
        assertEquals(TunnelState.UP, status().state());
        assertEquals(List.of(PID + " " + FP), env.persisted);
    }

    @Test
    void aConfigurationThatLostItsFingerprintIsHeldToTheKeyTrustedBeforeAndPinnedAgain() {
        env.thenConnect(new FakeLink(FP));
        start(config(LDAP));
        assertNull(env.requests.get(0).expectedFingerprint(), "the first connection trusts on first use");
        assertEquals(FP, env.knownHosts.get("ssh.customer.example:8822"));

        // the file was rewritten without the fingerprint line, and the server now presents another key
        env.thenFail(SshFailure.Kind.HOST_KEY_MISMATCH, "host key does not match");
        supervisor.update(with(PASSWORD, "changed", LDAP));

        assertEquals(FP, env.requests.get(1).expectedFingerprint(), "held to the key seen before, not trusted anew");
        assertEquals(TunnelState.FAILED, status().state());
    }

    @Test
    void theKeyTrustedBeforeIsWrittenBackWhenTheServerStillPresentsIt() {
        env.knownHosts.put("ssh.customer.example:8822", FP);
        env.thenConnect(new FakeLink(FP));
        start(config(LDAP));

        assertEquals(FP, env.requests.get(0).expectedFingerprint());
        assertEquals(TunnelState.UP, status().state());
        assertEquals(List.of(PID + " " + FP), env.persisted, "the pin goes back into the configuration");
    }

    @Test
    void aFingerprintWrittenOnPurposeReplacesTheKeyTrustedBefore() {
        env.knownHosts.put("ssh.customer.example:8822", FP);
        env.thenConnect(new FakeLink(OTHER_FP));
        start(with(FINGERPRINT, OTHER_FP, LDAP));

        assertEquals(OTHER_FP, env.requests.get(0).expectedFingerprint());
        assertEquals(TunnelState.UP, status().state());
        assertEquals(OTHER_FP, env.knownHosts.get("ssh.customer.example:8822"));
    }

    @Test
    void twoTunnelsTrustingTwoKeysForOneServerAtOnceAreCaught() {
        FakeLink impostor = new FakeLink(OTHER_FP);
        env.thenConnect(impostor);
        // another tunnel trusts FP for this server while this one connects with no key to expect
        env.duringConnect = () -> env.knownHosts.put("ssh.customer.example:8822", FP);
        start(config(LDAP));

        assertNull(env.requests.get(0).expectedFingerprint());
        assertEquals(TunnelState.FAILED, status().state());
        assertTrue(status().reason().contains("another tunnel has just trusted " + FP), status().reason());
        assertFalse(impostor.open, "the connection is closed at once");
        assertEquals(List.of(), env.persisted, "its key is not written anywhere");
        assertNoServices();
    }

    @Test
    void withFingerprintRequiredAnUnpinnedServerIsNeverContacted() {
        start(with(FINGERPRINT_REQUIRED, "true", LDAP));

        assertEquals(TunnelState.FAILED, status().state());
        assertTrue(status().reason().contains("fingerprint.required"), status().reason());
        assertEquals(List.of(), env.requests, "no connection, so no password was sent anywhere");
    }

    @Test
    void withFingerprintRequiredAKeyTrustedBeforeIsEnough() {
        env.knownHosts.put("ssh.customer.example:8822", FP);
        env.thenConnect(new FakeLink(FP));
        start(with(FINGERPRINT_REQUIRED, "true", LDAP));

        assertEquals(TunnelState.UP, status().state());
        assertEquals(FP, env.requests.get(0).expectedFingerprint());
    }

    @Test
    void aPinnedFingerprintIsNotWrittenBack() {
        env.thenConnect(new FakeLink(FP));
        start(with(FINGERPRINT, FP, LDAP));
        assertEquals(TunnelState.UP, status().state());
        assertEquals(List.of(), env.persisted);
    }

    @Test
    void pinningAnotherFingerprintReconnects() {
        FakeLink first = new FakeLink(FP);
        env.thenConnect(first).thenFail(SshFailure.Kind.HOST_KEY_MISMATCH, "host key does not match");
        start(config(LDAP));

        supervisor.update(with(FINGERPRINT, OTHER_FP, LDAP));

        assertFalse(first.open);
        assertEquals(2, env.requests.size());
        assertEquals(TunnelState.FAILED, status().state());
        assertNoServices();
    }

    // ---- closing -------------------------------------------------------------------------------

    @Test
    void closeTearsEverythingDown() {
        FakeLink link = new FakeLink(FP).failing(2222, new IOException("prohibited"));
        env.thenConnect(link);
        start(config(LDAP, SSH_BACK));
        ManualScheduler.Task mappingRetry = env.timer.onlyPending();
        ManualScheduler.Task keepalive = env.timer.periodic().get(0);

        supervisor.close(1000);

        assertEquals(TunnelState.DISABLED, status().state());
        assertEquals("configuration removed or engine stopped", status().reason());
        assertFalse(link.open);
        verify(link.handle(1389)).close();
        assertTrue(mappingRetry.isCancelled());
        assertTrue(keepalive.isCancelled());
        assertNoServices();
        assertTrue(registry.history().stream().allMatch(r -> r.unregistered));

        supervisor.update(config(LDAP));
        assertEquals(1, env.requests.size(), "a closed supervisor does nothing");
        assertEquals(TunnelState.DISABLED, status().state());
        supervisor.close(1000);
        supervisor = null;
    }

    @Test
    void closeWhileRetryingCancelsTheReconnect() {
        env.thenFail(SshFailure.Kind.NETWORK, "refused");
        start(config(LDAP));
        ManualScheduler.Task reconnect = env.timer.onlyPending();

        supervisor.close(1000);

        assertTrue(reconnect.isCancelled());
        assertEquals(TunnelState.DISABLED, status().state());
        assertNull(status().nextAttempt());
        assertEquals(1, env.requests.size());
        supervisor = null;
    }

    // ---- secrets -------------------------------------------------------------------------------

    @Test
    void thePasswordIsNeverInAStatusAnEventOrAServiceProperty() {
        FakeLink link = new FakeLink(FP).failing(2222, new IOException("prohibited"));
        env.thenFail(SshFailure.Kind.NETWORK, "refused").thenConnect(link);
        start(config(LDAP, SSH_BACK));
        env.timer.pending().get(0).run();
        link.drop("gone");
        supervisor.close(1000);
        supervisor = null;

        assertFalse(env.events.isEmpty());
        for (FakeEnvironment.Event e : env.events) {
            assertFalse(e.toString().contains(PASSWORD_VALUE), e.toString());
            assertFalse(e.properties.containsKey(PASSWORD), e.toString());
        }
        for (TunnelStatus s : env.statuses) {
            assertFalse(s.toString().contains(PASSWORD_VALUE));
            assertFalse(s.spec().toString().contains(PASSWORD_VALUE));
            assertTrue(s.spec().passwordSet());
            assertFalse(String.valueOf(s.reason()).contains(PASSWORD_VALUE));
        }
        for (FakeRegistry.Reg r : registry.history()) {
            assertFalse(r.properties.toString().contains(PASSWORD_VALUE), r.toString());
        }
        assertNotNull(env.requests.get(0));
        assertFalse(env.requests.get(0).toString().contains(PASSWORD_VALUE));
        assertSame(TunnelState.DISABLED, env.statuses.get(env.statuses.size() - 1).state());
    }
}
