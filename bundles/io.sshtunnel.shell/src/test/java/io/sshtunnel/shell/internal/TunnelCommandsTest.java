package io.sshtunnel.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationAdmin;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** What the commands print and how they refuse, without a framework. */
class TunnelCommandsTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final TunnelRuntime runtime = mock(TunnelRuntime.class);
    private final ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
    /** The real administrator's side of the admin service over the mocked Config Admin. */
    private final TunnelCommands commands = new TunnelCommands(runtime, new io.sshtunnel.ownership.internal.Administration(
            new io.sshtunnel.ownership.internal.Ownership(cm, audit -> { }, module -> true).withRuntime(runtime)),
            Clock.fixed(NOW, ZoneOffset.UTC), null, null, () -> printed());

    /** What the commands printed to the session: the last command's output only. */
    private final java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();

    private java.io.PrintStream printed() {
        return new java.io.PrintStream(output, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Runs the command and returns what it printed. */
    private String run(Runnable command) {
        output.reset();
        command.run();
        return output.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A stored configuration of the tunnel, as Config Admin would hand it out. */
    private org.osgi.service.cm.Configuration stored(String name, String owner, String file) throws Exception {
        org.osgi.service.cm.Configuration c = mock(org.osgi.service.cm.Configuration.class);
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put("name", name);
        p.put("server.host", "ssh.example");
        p.put("password", "never-printed");
        if (owner != null) {
            p.put("owner", owner);
        }
        if (file != null) {
            p.put("felix.fileinstall.filename", file);
        }
        when(c.getPid()).thenReturn("io.sshtunnel.tunnel~" + name);
        when(c.getFactoryPid()).thenReturn("io.sshtunnel.tunnel");
        when(c.getProperties()).thenAnswer(i -> p);
        when(cm.listConfigurations("(service.pid=io.sshtunnel.tunnel~" + name + ")")).thenReturn(new org.osgi.service.cm.Configuration[] { c });
        return c;
    }

    private static TunnelStatus status(String name, String owner, TunnelState state, String... mappings) {
        TunnelSpec spec = TunnelSpec.builder("io.sshtunnel.tunnel~" + name, name).owner(owner).server("ssh.example", 8822)
                .username("svc").passwordSet(true).mappings(java.util.Arrays.stream(mappings).map(PortMapping::parse)
                        .collect(java.util.stream.Collectors.toList())).build();
        List<MappingStatus> ms = new java.util.ArrayList<>();
        for (int i = 0; i < spec.mappings().size(); i++) {
            ms.add(new MappingStatus(i, spec.mappings().get(i), i == 0 ? MappingState.ACTIVE : MappingState.FAILED,
                    i == 0 ? null : "remote port refused", NOW, null));
        }
        return new TunnelStatus(spec, state, state == TunnelState.UP ? null : "some mappings failed", NOW.minusSeconds(300), null, 0,
                null, ms, List.of());
    }

    @Test
    void listIsATableWithOneRowPerTunnel() {
        when(runtime.tunnels()).thenReturn(List.of(status("ad", null, TunnelState.UP, "L 1389:dc1:389"),
                status("metrics", "com.example.monitoring", TunnelState.DEGRADED, "R 9100:localhost:9100", "R 2222:localhost:22")));
        assertEquals(String.join("\n",
                "Name    | Owner                  | Server           | State    | Mappings | Since     | Reason",
                "------- | ---------------------- | ---------------- | -------- | -------- | --------- | --------------------",
                "ad      | (administrator)        | ssh.example:8822 | UP       | 1/1      | 5 min ago |",
                "metrics | com.example.monitoring | ssh.example:8822 | DEGRADED | 1/2      | 5 min ago | some mappings failed", ""),
                run(commands::list));
    }

    @Test
    void aModulesTunnelIsRefusedNamingItsOwnerAndNothingIsWritten() throws Exception {
        when(runtime.tunnel("metrics")).thenReturn(Optional.of(status("metrics", "com.example.monitoring", TunnelState.UP, "R 9100:localhost:9100")));
        org.osgi.service.cm.Configuration c = stored("metrics", "com.example.monitoring", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.disable("metrics"));
        assertEquals("tunnel \"metrics\" was not disabled: tunnel \"metrics\" is owned by module \"com.example.monitoring\": only"
                + " that module may disable it; nothing was changed", e.getMessage());
        org.mockito.Mockito.verify(c, org.mockito.Mockito.never()).update(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void aTunnelFromAFileIsChangedInItsFileAsOnThePage() throws Exception {
        when(runtime.tunnel("crm")).thenReturn(Optional.of(status("crm", null, TunnelState.UP, "L 1433:sql:1433")));
        org.osgi.service.cm.Configuration c = stored("crm", null, "file:/opt/sshtunnel/conf/io.sshtunnel.tunnel-crm.cfg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.disable("crm"));
        assertTrue(e.getMessage().contains("was made from the file file:/opt/sshtunnel/conf/io.sshtunnel.tunnel-crm.cfg: disable it there"),
                e.getMessage());
        org.mockito.Mockito.verify(c, org.mockito.Mockito.never()).update(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void theAdministratorsTunnelIsDisabledKeepingItsConfigurationAndOnlyOnce() throws Exception {
        when(runtime.tunnel("ad")).thenReturn(Optional.of(status("ad", null, TunnelState.UP, "L 1389:dc1:389")));
        org.osgi.service.cm.Configuration c = stored("ad", null, null);
        org.mockito.Mockito.doAnswer(i -> {
            @SuppressWarnings("unchecked")
            java.util.Dictionary<String, Object> now = i.getArgument(0);
            when(c.getProperties()).thenAnswer(x -> now);
            return null;
        }).when(c).update(org.mockito.ArgumentMatchers.any());
        assertEquals("tunnel \"ad\" disabled\n", run(() -> commands.disable("ad")));
        @SuppressWarnings("unchecked")
        org.mockito.ArgumentCaptor<java.util.Dictionary<String, Object>> saved = org.mockito.ArgumentCaptor.forClass(java.util.Dictionary.class);
        org.mockito.Mockito.verify(c).update(saved.capture());
        assertEquals(false, saved.getValue().get("enabled"));
        assertEquals("never-printed", saved.getValue().get("password"));
        assertEquals("tunnel \"ad\" was already disabled\n", run(() -> commands.disable("ad")));
        org.mockito.Mockito.verify(c, org.mockito.Mockito.times(1)).update(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void placeholdersAreNameValuePairs() {
        assertEquals(Map.of("dc", "dc1.corp.local", "sql", "sql1"), TunnelCommands.placeholders("dc=dc1.corp.local, sql=sql1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunnelCommands.placeholders("dc1.corp.local"));
        assertTrue(e.getMessage().contains("write e.g. --values dc=dc1.corp.local"), e.getMessage());
    }

    @Test
    void aTestResultIsPrintedWithItsFingerprint() {
        assertEquals("OK: connection tested successfully\nfingerprint SHA256:abc (not trusted yet)\ntook 42 ms\n",
                TunnelCommands.print(new ConnectionTestResult(ConnectionTestResult.Outcome.SUCCESS, "connection tested successfully",
                        "SHA256:abc", true, Duration.ofMillis(42))));
        assertEquals("AUTH_REJECTED: rejected\ntook 3 ms\n", TunnelCommands.print(new ConnectionTestResult(
                ConnectionTestResult.Outcome.AUTH_REJECTED, "rejected", null, false, Duration.ofMillis(3))));
    }
}
