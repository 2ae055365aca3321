package io.sshtunnel.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.TunnelCounters;
import io.sshtunnel.api.TunnelStatus;

/**
 * The published status of a tunnel with the figures that change without a change of state: the
 * last keepalive round trip and each mapping's traffic, read at the moment of the query.
 */
final class Live {
    private Live() {
    }

    static TunnelStatus overlay(TunnelStatus s, Duration roundTrip, List<Traffic> traffic) {
        List<MappingStatus> ms = s.mappings();
        List<MappingStatus> out = new ArrayList<>(ms.size());
        for (MappingStatus m : ms) {
            Traffic t = m.index() < traffic.size() ? traffic.get(m.index()) : null;
            MappingCounters c = t == null ? MappingCounters.NONE : t.snapshot();
            out.add(new MappingStatus(m.index(), m.mapping(), m.state(), m.reason(), m.since(), m.service(), c));
        }
        TunnelCounters tc = s.counters();
        return new TunnelStatus(s.spec(), s.state(), s.reason(), s.since(), s.nextAttempt(), s.attempts(), s.serverFingerprint(),
                out, s.findings(), new TunnelCounters(tc.connects(), tc.disconnects(), roundTrip, tc.unavailableSince()));
    }
}
