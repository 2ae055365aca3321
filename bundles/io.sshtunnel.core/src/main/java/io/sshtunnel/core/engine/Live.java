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

    /** A mapping and its counters, as the slots hold them now. */
    static final class Counted {
        final io.sshtunnel.api.PortMapping mapping;
        final Traffic traffic;

        Counted(io.sshtunnel.api.PortMapping mapping, Traffic traffic) {
            this.mapping = mapping;
            this.traffic = traffic;
        }
    }

    /**
     * @param traffic each slot's counters with its mapping: matched by index and mapping, so that
     *                a snapshot taken before the mappings changed never shows another mapping's bytes
     */
    static TunnelStatus overlay(TunnelStatus s, Duration roundTrip, List<Counted> traffic) {
        List<MappingStatus> ms = s.mappings();
        List<MappingStatus> out = new ArrayList<>(ms.size());
        for (MappingStatus m : ms) {
            Counted t = m.index() < traffic.size() ? traffic.get(m.index()) : null;
            MappingCounters c = t == null || !t.mapping.equals(m.mapping()) ? MappingCounters.NONE : t.traffic.snapshot();
            out.add(m.withCounters(c));
        }
        TunnelCounters tc = s.counters();
        return new TunnelStatus(s.spec(), s.state(), s.reason(), s.since(), s.nextAttempt(), s.attempts(), s.serverFingerprint(),
                out, s.findings(), new TunnelCounters(tc.connects(), tc.disconnects(), roundTrip, tc.unavailableSince()))
                .withTranslations(s::reason, s::findings);
    }
}
