package io.sshtunnel.monitoring.internal;

import java.util.List;

import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * The tunnels in Prometheus's text exposition format (version 0.0.4): one family after the other,
 * each with its HELP and TYPE, counters ending in {@code _total}, label values escaped. Labels:
 * {@code tunnel}, and for mappings {@code mapping} (the entry without label) and {@code kind}.
 */
final class PrometheusFormat {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusFormat() {
    }

    private interface TunnelValue {
        Number of(TunnelStatus s);
    }

    private interface MappingValue {
        Number of(MappingStatus m, MappingCounters c);
    }

    /**
     * Names are unique and so are a tunnel's mappings, except in configurations the engine refuses
     * for it: a second tunnel of a taken name, or a mapping repeated in one tunnel. Those are left
     * out, since one repeated series makes Prometheus reject the whole scrape.
     */
    static String write(List<TunnelStatus> all) {
        // of two tunnels with one name, the one the engine runs (the other has NAME_TAKEN), whichever sorts first
        java.util.Map<String, TunnelStatus> byName = new java.util.LinkedHashMap<>();
        for (TunnelStatus s : all) {
            byName.merge(s.name(), s, (first, next) -> nameTaken(first) && !nameTaken(next) ? next : first);
        }
        List<TunnelStatus> tunnels = new java.util.ArrayList<>();
        for (TunnelStatus s : byName.values()) {
            {
                java.util.Set<String> entries = new java.util.HashSet<>();
                List<MappingStatus> ms = new java.util.ArrayList<>();
                // a refused configuration has no mapping that runs: its tunnel's state is all there is to say
                for (MappingStatus m : s.state() == TunnelState.INVALID ? List.<MappingStatus>of() : s.mappings()) {
                    if (entries.add(m.mapping().kind() + " " + entry(m.mapping()))) {
                        ms.add(m);
                    }
                }
                tunnels.add(ms.size() == s.mappings().size() ? s : new TunnelStatus(s.spec(), s.state(), s.reason(), s.since(),
                        s.nextAttempt(), s.attempts(), s.serverFingerprint(), ms, s.findings(), s.counters()));
            }
        }
        StringBuilder b = new StringBuilder(1024 + tunnels.size() * 2048);
        b.append("# HELP sshtunnel_tunnel_state Whether the tunnel is in this state (1) or not (0).\n");
        b.append("# TYPE sshtunnel_tunnel_state gauge\n");
        for (TunnelStatus s : tunnels) {
            for (TunnelState st : TunnelState.values()) {
                b.append("sshtunnel_tunnel_state{tunnel=\"").append(escape(s.name())).append("\",state=\"").append(st.name())
                        .append("\"} ").append(s.state() == st ? 1 : 0).append('\n');
            }
        }
        tunnelFamily(b, tunnels, "sshtunnel_tunnel_up", "gauge", "1 while the tunnel is UP or DEGRADED (connected), else 0.",
                s -> s.state() == TunnelState.UP || s.state() == TunnelState.DEGRADED ? 1 : 0);
        tunnelFamily(b, tunnels, "sshtunnel_tunnel_state_since_timestamp_seconds", "gauge",
                "When the tunnel entered its current state, in seconds since the epoch.", s -> s.since().toEpochMilli() / 1e3);
        tunnelFamily(b, tunnels, "sshtunnel_tunnel_connects_total", "counter", "SSH connections that came up.",
                s -> s.counters().connects());
        tunnelFamily(b, tunnels, "sshtunnel_tunnel_disconnects_total", "counter", "Working SSH connections lost or taken down.",
                s -> s.counters().disconnects());
        b.append("# HELP sshtunnel_tunnel_keepalive_rtt_seconds Round trip of the last answered keepalive probe.\n");
        b.append("# TYPE sshtunnel_tunnel_keepalive_rtt_seconds gauge\n");
        for (TunnelStatus s : tunnels) {
            if (s.counters().lastKeepaliveRoundTrip() != null) {
                b.append("sshtunnel_tunnel_keepalive_rtt_seconds{tunnel=\"").append(escape(s.name())).append("\"} ")
                        .append(s.counters().lastKeepaliveRoundTrip().toNanos() / 1e9).append('\n');
            }
        }
        mappingFamily(b, tunnels, "sshtunnel_mapping_active", "gauge", "1 while the mapping works, else 0.",
                (m, c) -> m.state() == MappingState.ACTIVE ? 1 : 0);
        mappingFamily(b, tunnels, "sshtunnel_mapping_to_target_bytes_total", "counter", "Bytes sent towards the target.",
                (m, c) -> c.bytesToTarget());
        mappingFamily(b, tunnels, "sshtunnel_mapping_from_target_bytes_total", "counter", "Bytes the target sent back.",
                (m, c) -> c.bytesFromTarget());
        mappingFamily(b, tunnels, "sshtunnel_mapping_connections_total", "counter", "Connections accepted on the mapping.",
                (m, c) -> c.connections());
        mappingFamily(b, tunnels, "sshtunnel_mapping_connections_open", "gauge", "Connections open now.",
                (m, c) -> c.openConnections());
        mappingFamily(b, tunnels, "sshtunnel_mapping_connections_failed_total", "counter",
                "Connections that could not reach the target.", (m, c) -> c.failedConnections());
        return b.toString();
    }

    private static void tunnelFamily(StringBuilder b, List<TunnelStatus> tunnels, String name, String type, String help, TunnelValue v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (TunnelStatus s : tunnels) {
            b.append(name).append("{tunnel=\"").append(escape(s.name())).append("\"} ").append(v.of(s)).append('\n');
        }
    }

    private static void mappingFamily(StringBuilder b, List<TunnelStatus> tunnels, String name, String type, String help, MappingValue v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (TunnelStatus s : tunnels) {
            for (MappingStatus m : s.mappings()) {
                b.append(name).append("{tunnel=\"").append(escape(s.name())).append("\",mapping=\"").append(escape(entry(m.mapping())))
                        .append("\",kind=\"").append(m.mapping().kind()).append("\"} ").append(v.of(m, m.counters())).append('\n');
            }
        }
    }

    private static boolean nameTaken(TunnelStatus s) {
        return s.findings().stream().anyMatch(f -> FindingCodes.NAME_TAKEN.equals(f.code()));
    }

    /** The mapping as written, without label and service: what tells two mappings apart. */
    static String entry(PortMapping m) {
        return m.withLabel(null).withService(null).format().substring(2);
    }

    /** A label value: backslash, double quote and line feed escaped, as the format requires. */
    static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '"') {
                b.append("\\\"");
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
