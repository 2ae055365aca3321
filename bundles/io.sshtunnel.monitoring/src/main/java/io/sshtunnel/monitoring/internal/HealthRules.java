package io.sshtunnel.monitoring.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.TunnelStatus;

/**
 * How healthy the tunnels are, one line per tunnel: {@code OK} when every enabled tunnel is
 * {@code UP}; {@code WARN} for {@code DEGRADED}; {@code TEMPORARILY_UNAVAILABLE} while it has
 * been connecting or retrying for less than the grace period; {@code CRITICAL} for {@code FAILED},
 * {@code INVALID}, or without a connection past the grace period. Disabled tunnels are reported,
 * never counted against.
 */
final class HealthRules {
    /** The health check's levels, mildest first (as Felix's Result.Status orders them). */
    enum Level {
        OK, WARN, TEMPORARILY_UNAVAILABLE, CRITICAL
    }

    static final class Line {
        final Level level;
        final String message;

        Line(Level level, String message) {
            this.level = level;
            this.message = message;
        }

        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private HealthRules() {
    }

    /**
     * The reason as an unauthenticated health endpoint may show it: without the SSH user's name
     * (a reason such as {@code authentication as "ad-svc" rejected by ...} names it).
     */
    static String withoutUser(String reason, String username) {
        return username == null || username.isBlank() ? reason : reason.replace("\"" + username + "\"", "(the configured user)");
    }

    static List<Line> evaluate(List<TunnelStatus> tunnels, Instant now, Duration grace) {
        List<Line> out = new ArrayList<>();
        if (tunnels.isEmpty()) {
            out.add(new Line(Level.OK, "no tunnel is configured"));
        }
        for (TunnelStatus s : tunnels) {
            String name = "tunnel \"" + s.name() + "\" (" + s.spec().server() + ")";
            String why = s.reason() == null ? "" : ": " + withoutUser(s.reason(), s.spec().username());
            switch (s.state()) {
            case UP:
                out.add(new Line(Level.OK, name + " is UP, " + s.mappings().size() + " of " + s.mappings().size() + " mappings active"));
                break;
            case DISABLED:
                out.add(new Line(Level.OK, name + " is DISABLED" + why));
                break;
            case DEGRADED:
                long up = s.mappings().stream().filter(m -> m.state() == MappingState.ACTIVE).count();
                out.add(new Line(Level.WARN, name + " is DEGRADED, " + up + " of " + s.mappings().size() + " mappings active" + why));
                break;
            case CONNECTING:
            case RETRYING:
                Instant from = s.counters().unavailableSince() != null ? s.counters().unavailableSince() : s.since();
                Duration down = Duration.between(from, now);
                if (down.compareTo(grace) < 0) {
                    out.add(new Line(Level.TEMPORARILY_UNAVAILABLE, name + " is " + s.state() + " for " + down.getSeconds()
                            + " s (within the grace of " + grace.getSeconds() + " s)" + why));
                } else {
                    out.add(new Line(Level.CRITICAL, name + " has had no connection for " + down.getSeconds() + " s, past the grace of "
                            + grace.getSeconds() + " s" + why));
                }
                break;
            default: // FAILED, INVALID
                out.add(new Line(Level.CRITICAL, name + " is " + s.state() + why));
            }
            for (MappingStatus m : s.mappings()) {
                if (m.state() == MappingState.ACTIVE && m.reason() != null) {
                    // an active mapping with a reason: its target did not answer the probe
                    out.add(new Line(Level.WARN, name + " mapping " + m.mapping().format() + ": " + m.reason()));
                }
            }
        }
        return out;
    }
}
