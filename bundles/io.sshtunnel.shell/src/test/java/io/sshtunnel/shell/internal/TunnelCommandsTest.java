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
    private final TunnelCommands commands = new TunnelCommands(runtime, cm, Clock.fixed(NOW, ZoneOffset.UTC), null, null);

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
                commands.list());
    }

    @Test
    void aModulesTunnelIsRefusedNamingItsOwnerAndNothingIsWritten() {
        when(runtime.tunnel("metrics")).thenReturn(Optional.of(status("metrics", "com.example.monitoring", TunnelState.UP, "R 9100:localhost:9100")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.disable("metrics"));
        assertEquals("tunnel \"metrics\" is owned by module \"com.example.monitoring\": only that module may disable it; nothing was changed",
                e.getMessage());
        verifyNoInteractions(cm);
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
