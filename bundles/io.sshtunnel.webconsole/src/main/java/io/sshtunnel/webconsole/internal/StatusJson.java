package io.sshtunnel.webconsole.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelStatus;

/**
 * Every tunnel's status as JSON, for the console page, scripts ({@code sshtunnels.json}) and the
 * inventory printer. Built from {@link TunnelStatus}, which holds no secret: whether a password or
 * passphrase is set is all that is said about them.
 */
final class StatusJson {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();

    private StatusJson() {
    }

    /** {@code {"tunnels": [...]}}, in the runtime's order (by name). */
    static JsonObject tunnels(List<TunnelStatus> all, Locale locale) {
        return tunnels(all, locale, new TunnelActions.Stored());
    }

    /**
     * As {@link #tunnels(List, Locale)}, with the file each tunnel was made from (by PID), where
     * FileInstall made it, and its configuration's change count ({@code version}), which a save
     * from the page must still match.
     */
    static JsonObject tunnels(List<TunnelStatus> all, Locale locale, TunnelActions.Stored stored) {
        JsonArray list = new JsonArray();
        for (TunnelStatus s : all) {
            JsonObject t = tunnel(s, locale);
            t.addProperty("file", stored.files.get(s.id()));
            t.addProperty("version", stored.versions.get(s.id()));
            if (stored.ownerGone.contains(s.id())) {
                t.addProperty("ownerGone", true); // its module is uninstalled: the administrator may delete it
            }
            list.add(t);
        }
        JsonObject root = new JsonObject();
        root.add("tunnels", list);
        return root;
    }

    static JsonObject tunnel(TunnelStatus s, Locale locale) {
        TunnelSpec spec = s.spec();
        JsonObject t = new JsonObject();
        t.addProperty("id", s.id());
        t.addProperty("name", s.name());
        t.addProperty("owner", spec.owner());
        t.addProperty("enabled", spec.enabled());
        t.addProperty("server", spec.server());
        t.addProperty("serverHost", spec.serverHost());
        t.addProperty("serverPort", spec.serverPort());
        t.addProperty("username", spec.username());
        t.addProperty("passwordSet", spec.passwordSet());
        t.addProperty("privateKeyPath", spec.privateKeyPath());
        t.addProperty("passphraseSet", spec.passphraseSet());
        t.addProperty("fingerprint", spec.fingerprint());
        t.addProperty("via", spec.via());
        t.addProperty("serverFingerprint", s.serverFingerprint());
        t.addProperty("state", s.state().name());
        t.addProperty("since", time(s.since()));
        t.addProperty("reason", s.reason(locale));
        t.addProperty("nextAttempt", time(s.nextAttempt()));
        t.addProperty("attempts", s.attempts());
        long up = 0;
        long toTarget = 0;
        long fromTarget = 0;
        long open = 0;
        JsonArray mappings = new JsonArray();
        for (MappingStatus m : s.mappings()) {
            if (m.state() == MappingState.ACTIVE) {
                up++;
            }
            MappingCounters c = m.counters();
            toTarget += c.bytesToTarget();
            fromTarget += c.bytesFromTarget();
            open += c.openConnections();
            mappings.add(mapping(m, locale));
        }
        t.addProperty("mappingsUp", up);
        t.addProperty("mappingsTotal", s.mappings().size());
        t.addProperty("bytesToTarget", toTarget);
        t.addProperty("bytesFromTarget", fromTarget);
        t.addProperty("openConnections", open);
        t.addProperty("connects", s.counters().connects());
        t.addProperty("disconnects", s.counters().disconnects());
        t.addProperty("keepaliveMillis", s.counters().lastKeepaliveRoundTrip() == null ? null
                : s.counters().lastKeepaliveRoundTrip().toNanos() / 1_000_000.0);
        t.add("mappings", mappings);
        t.add("findings", findings(s.findings(locale)));
        return t;
    }

    static JsonObject mapping(MappingStatus m, Locale locale) {
        JsonObject o = entry(m.mapping());
        o.addProperty("index", m.index());
        o.addProperty("state", m.state().name());
        o.addProperty("reason", m.reason(locale));
        o.addProperty("since", time(m.since()));
        o.addProperty("service", m.service());
        MappingCounters c = m.counters();
        o.addProperty("bytesToTarget", c.bytesToTarget());
        o.addProperty("bytesFromTarget", c.bytesFromTarget());
        o.addProperty("connections", c.connections());
        o.addProperty("openConnections", c.openConnections());
        o.addProperty("failedConnections", c.failedConnections());
        o.addProperty("explanation", m.explanation(locale));
        return o;
    }

    /**
     * A mapping's parts as the editor shows them: seen from this machine, the local port is the
     * listener's for {@code L} and the target's for {@code R}, the remote port the other one; a
     * {@code D} mapping has a local port only.
     */
    static JsonObject entry(PortMapping p) {
        JsonObject o = new JsonObject();
        o.addProperty("entry", p.format());
        o.addProperty("kind", p.kind().name());
        o.addProperty("gateway", p.isGateway());
        o.addProperty("bindHost", p.bindHost());
        o.addProperty("bindAddress", p.effectiveBindHost() + ":" + p.bindPort());
        o.addProperty("bindPort", p.bindPort());
        if (p.kind() == MappingKind.D) {
            // a SOCKS port: its clients name their targets
            o.addProperty("localPort", p.bindPort());
        } else {
            o.addProperty("targetHost", p.targetHost());
            o.addProperty("targetPort", p.targetPort());
            boolean local = p.kind() == MappingKind.L;
            o.addProperty("localPort", local ? p.bindPort() : p.targetPort());
            o.addProperty("remotePort", local ? p.targetPort() : p.bindPort());
        }
        o.addProperty("label", p.label());
        o.addProperty("service", p.service());
        return o;
    }

    /** The most findings one answer lists; the rest are counted in one more ("... and 99,900 more"). */
    static final int MAX_FINDINGS = 50;
    /** The most mappings one answer lists: as many as a valid tunnel may have. */
    static final int MAX_MAPPINGS = 100;

    static JsonArray findings(List<Finding> findings) {
        JsonArray a = new JsonArray();
        for (Finding f : Finding.bounded(findings, MAX_FINDINGS)) {
            JsonObject o = new JsonObject();
            o.addProperty("severity", f.severity().name());
            o.addProperty("code", f.code());
            o.addProperty("property", f.property());
            o.addProperty("mapping", f.mappingIndex());
            o.addProperty("message", f.message());
            a.add(o);
        }
        return a;
    }

    private static String time(Instant i) {
        return i == null ? null : i.toString();
    }
}
