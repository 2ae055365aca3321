package io.sshtunnel.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelCounters;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** The health rules across every state, and the metrics in Prometheus's format, checked by Prometheus's own checker. */
class MonitoringTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(60);

    private static TunnelStatus tunnel(String name, TunnelState state, String reason, Instant unavailableSince, MappingState... mappings) {
        List<PortMapping> ms = new ArrayList<>();
        for (int i = 0; i < Math.max(1, mappings.length); i++) {
            ms.add(PortMapping.parse("L " + (1389 + i) + ":dc1.corp.local:389 # LDAP \"main\""));
        }
        TunnelSpec spec = TunnelSpec.builder("io.sshtunnel.tunnel~" + name, name).server("ssh.example", 22).username("u")
                .passwordSet(true).mappings(ms).build();
        List<MappingStatus> statuses = new ArrayList<>();
        for (int i = 0; i < mappings.length; i++) {
            statuses.add(new MappingStatus(i, ms.get(i), mappings[i], mappings[i] == MappingState.ACTIVE ? null : "refused", NOW, null,
                    new MappingCounters(1000L * (i + 1), 2000L * (i + 1), 3, 1, i)));
        }
        return new TunnelStatus(spec, state, reason, NOW.minusSeconds(10), null, 0, null, statuses, List.of(),
                new TunnelCounters(2, 1, Duration.ofMillis(12), unavailableSince));
    }

    private static List<String> levels(TunnelStatus... tunnels) {
        return HealthRules.evaluate(List.of(tunnels), NOW, GRACE).stream().map(l -> l.level.name()).collect(Collectors.toList());
    }

    @Test
    void theHealthOfEachStateIsAsTheOperatorExpects() {
        assertEquals(List.of("OK"), levels(tunnel("a", TunnelState.UP, null, null, MappingState.ACTIVE)));
        assertEquals(List.of("OK"), levels(tunnel("a", TunnelState.DISABLED, "enabled is false", null)));
        assertEquals(List.of("WARN"), levels(tunnel("a", TunnelState.DEGRADED, "1389 refused", null, MappingState.ACTIVE, MappingState.FAILED)));
        assertEquals(List.of("TEMPORARILY_UNAVAILABLE"), levels(tunnel("a", TunnelState.RETRYING, "refused", NOW.minusSeconds(59))));
        assertEquals(List.of("CRITICAL"), levels(tunnel("a", TunnelState.RETRYING, "refused", NOW.minusSeconds(61))));
        assertEquals(List.of("CRITICAL"), levels(tunnel("a", TunnelState.CONNECTING, null, NOW.minusSeconds(600))));
        assertEquals(List.of("CRITICAL"), levels(tunnel("a", TunnelState.FAILED, "authentication rejected", null)));
        assertEquals(List.of("CRITICAL"), levels(tunnel("a", TunnelState.INVALID, "port taken", null)));
        assertEquals(List.of("OK"), levels());
        HealthRules.Line line = HealthRules.evaluate(List.of(tunnel("ad", TunnelState.FAILED, "authentication rejected", null)), NOW, GRACE).get(0);
        assertEquals("tunnel \"ad\" (ssh.example:22) is FAILED: authentication rejected", line.message);
        HealthRules.Line retrying = HealthRules.evaluate(List.of(tunnel("ad", TunnelState.RETRYING, "refused", NOW.minusSeconds(90))), NOW, GRACE).get(0);
        assertEquals("tunnel \"ad\" (ssh.example:22) has had no connection for 90 s, past the grace of 60 s: refused", retrying.message);
    }

    @Test
    void theMetricsAreCountersAndGaugesWithEscapedLabels() {
        String text = PrometheusFormat.write(List.of(tunnel("a\"b", TunnelState.UP, null, null, MappingState.ACTIVE, MappingState.FAILED)));
        assertTrue(text.contains("sshtunnel_tunnel_state{tunnel=\"a\\\"b\",state=\"UP\"} 1\n"), text);
        assertTrue(text.contains("sshtunnel_tunnel_state{tunnel=\"a\\\"b\",state=\"FAILED\"} 0\n"), text);
        assertTrue(text.contains("sshtunnel_mapping_to_target_bytes_total{tunnel=\"a\\\"b\",mapping=\"1390:dc1.corp.local:389\",kind=\"L\"} 2000\n"), text);
        assertTrue(text.contains("sshtunnel_tunnel_keepalive_rtt_seconds{tunnel=\"a\\\"b\"} 0.012\n"), text);
        assertTrue(text.contains("sshtunnel_tunnel_state_since_timestamp_seconds{tunnel=\"a\\\"b\"} " + (NOW.minusSeconds(10).toEpochMilli() / 1e3) + "\n"), text);
        assertTrue(text.contains("sshtunnel_mapping_active{tunnel=\"a\\\"b\",mapping=\"1390:dc1.corp.local:389\",kind=\"L\"} 0\n"), text);
    }

    @Test
    void aSecondTunnelOfATakenNameAndARepeatedMappingAreLeftOutSoThatTheScrapeStaysValid() throws Exception {
        TunnelStatus running = tunnel("crm", TunnelState.UP, null, null, MappingState.ACTIVE);
        TunnelStatus t = tunnel("crm", TunnelState.INVALID, "name taken", null, MappingState.PENDING);
        // the refused one sorts first (its PID does): the one the engine runs is the one reported
        TunnelStatus refused = new TunnelStatus(t.spec(), t.state(), t.reason(), t.since(), null, 0, null, t.mappings(),
                List.of(Finding.error(FindingCodes.NAME_TAKEN, "name", "name \"crm\" is taken")), t.counters());
        PortMapping m = PortMapping.parse("L 1389:dc1:389 # one");
        TunnelSpec spec = TunnelSpec.builder("io.sshtunnel.tunnel~rep", "rep").server("ssh.example", 22).username("u").passwordSet(true)
                .mappings(List.of(m, m.withLabel("two"))).build();
        TunnelStatus repeated = new TunnelStatus(spec, TunnelState.INVALID, "duplicate", NOW, null, 0, null,
                List.of(new MappingStatus(0, m, MappingState.PENDING, null, NOW, null),
                        new MappingStatus(1, m.withLabel("two"), MappingState.PENDING, null, NOW, null)), List.of());
        String text = PrometheusFormat.write(List.of(refused, running, repeated));
        assertEquals(List.of("sshtunnel_tunnel_up{tunnel=\"crm\"} 1"),
                text.lines().filter(l -> l.startsWith("sshtunnel_tunnel_up{tunnel=\"crm\"}")).collect(Collectors.toList()), text);
        assertEquals(0, text.lines().filter(l -> l.startsWith("sshtunnel_mapping_active{tunnel=\"rep\"")).count(),
                "a refused tunnel runs no mapping: it has its state series only\n" + text);
        assertTrue(text.contains("sshtunnel_tunnel_state{tunnel=\"rep\",state=\"INVALID\"} 1"), text);
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool (Debian: prometheus) is not installed; CI installs it");
        assertEquals("", promtool(promtool, text));
    }

    @Test
    void aRefusedTunnelOfAHundredThousandMappingsAddsOnlyItsStateSeries() {
        List<MappingStatus> ms = new java.util.ArrayList<>();
        List<PortMapping> pms = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            PortMapping p = PortMapping.parse("L " + (1024 + i % 60_000) + ":dc" + i + ":389");
            pms.add(p);
            ms.add(new MappingStatus(i, p, MappingState.PENDING, null, NOW, null));
        }
        TunnelSpec spec = TunnelSpec.builder("io.sshtunnel.tunnel~huge", "huge").server("ssh.example", 22).username("u")
                .passwordSet(true).mappings(pms).build();
        String text = PrometheusFormat.write(List.of(new TunnelStatus(spec, TunnelState.INVALID, "too many", NOW, null, 0, null, ms,
                List.of())));
        assertTrue(text.lines().filter(l -> !l.startsWith("#")).count() < 20, text);
    }

    @Test
    void healthReasonsNameNoUser() {
        assertEquals("authentication as (the configured user) rejected by 127.0.0.1:22: check username",
                HealthRules.withoutUser("authentication as \"ad-svc\" rejected by 127.0.0.1:22: check username", "ad-svc"));
    }

    @Test
    void metricsWithAPasswordAnswerOnlyToThatLogin() {
        java.util.function.Function<String, String> basic = s -> "Basic " + java.util.Base64.getEncoder()
                .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        BasicAuth open = new BasicAuth("prometheus", "");
        assertTrue(open.allows(null), "no password set: open, as before");
        BasicAuth login = new BasicAuth("prometheus", "sc\u00f6pe");
        assertTrue(login.allows(basic.apply("prometheus:sc\u00f6pe")));
        assertFalse(login.allows(null));
        assertFalse(login.allows(basic.apply("prometheus:wrong")));
        assertFalse(login.allows(basic.apply("other:sc\u00f6pe")));
        assertFalse(login.allows("Basic !!!"));
    }

    @Test
    void healthAndMetricsAnswerOnlyToThisMachinesNames() {
        MonitoringGuard g = new MonitoringGuard(io.sshtunnel.api.Hosts.allowedHostHeaders("127.0.0.1", null), null);
        assertTrue(g.guarded("/system/health.json") && g.guarded("/system/health") && g.guarded("/metrics/sshtunnel"));
        assertFalse(g.guarded("/system/console/bundles"));
        assertTrue(io.sshtunnel.api.Hosts.hostHeaderAllowed(io.sshtunnel.api.Hosts.allowedHostHeaders("127.0.0.1", null), "localhost:8080"));
        assertFalse(io.sshtunnel.api.Hosts.hostHeaderAllowed(io.sshtunnel.api.Hosts.allowedHostHeaders("127.0.0.1", null),
                "127.evil.example:8080"));
    }

    @Test
    void promtoolAcceptsTheMetrics() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool (Debian: prometheus) is not installed; CI installs it");
        String text = PrometheusFormat.write(List.of(tunnel("ad", TunnelState.UP, null, null, MappingState.ACTIVE),
                tunnel("metrics", TunnelState.RETRYING, "refused", NOW, MappingState.PENDING, MappingState.PENDING)));
        assertEquals("", promtool(promtool, text));
        assertEquals("", promtool(promtool, PrometheusFormat.write(List.of())));
    }

    /** What promtool check metrics says about the text (empty: nothing). */
    static String promtool(Path promtool, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }
}
