package io.sshtunnel.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.core.config.ParsedConfig;

/**
 * Every configured tunnel: its configuration as read, its latest validation, and its supervisor.
 * Its monitor guards only its own fields: nothing in here calls out (no validator, no Config
 * Admin, no file, no service registry). {@link Revalidation} takes a {@link #snapshot()}, checks
 * it outside, and hands the results to {@link #accept(List)}, which keeps only those that are
 * still current.
 */
final class TunnelRegistry {
    /** A tunnel's configuration as read, and its supervisor. */
    private static final class Entry {
        /** Order of arrival: of two colliding tunnels, the earlier keeps its ports. */
        final long sequence;
        final TunnelSupervisor supervisor;
        /** Counts the configurations read; a validation of an older one is dropped. */
        long version;
        ParsedConfig base;
        /** The last properties that described the tunnel, to put back if a file reader wipes them. */
        Map<String, Object> lastGood;
        List<Finding> validation = List.of();
        /** The spec a validator last passed without an error, or null. */
        TunnelSpec checked;
        /** The version the supervisor has, or -1 before it started. */
        long delivered = -1;
        /** Why the supervisor was last told to hold the tunnel back (its module inactive), or null. */
        String deliveredSuspension;

        Entry(long sequence, TunnelSupervisor supervisor, ParsedConfig base, Map<String, Object> lastGood) {
            this.sequence = sequence;
            this.supervisor = supervisor;
            this.base = base;
            this.lastGood = lastGood;
        }
    }

    /** What a validation pass sees of one tunnel. */
    static final class Candidate {
        final String pid;
        final long version;
        final ParsedConfig base;
        /** The spec a validator last passed without an error, or null. */
        final TunnelSpec checked;
        final List<Finding> lastValidation;
        private final Entry entry;

        private Candidate(String pid, Entry e) {
            this.pid = pid;
            this.entry = e;
            this.version = e.version;
            this.base = e.base;
            this.checked = e.checked;
            this.lastValidation = e.validation;
        }
    }

    /** The findings a pass made for one candidate. */
    static final class Result {
        final Candidate candidate;
        final List<Finding> findings;
        /** Whether a validator made them (rather than the engine, for want of one). */
        final boolean byValidator;
        /** Why the tunnel is held back although enabled (its module is not active), or null. */
        final String suspension;

        Result(Candidate candidate, List<Finding> findings, boolean byValidator) {
            this(candidate, findings, byValidator, null);
        }

        Result(Candidate candidate, List<Finding> findings, boolean byValidator, String suspension) {
            this.candidate = candidate;
            this.findings = List.copyOf(findings);
            this.byValidator = byValidator;
            this.suspension = suspension;
        }
    }

    /** A configuration to hand to a supervisor, outside the lock. */
    static final class Delivery {
        final TunnelSupervisor supervisor;
        final ParsedConfig config;
        final boolean first;

        Delivery(TunnelSupervisor supervisor, ParsedConfig config, boolean first) {
            this.supervisor = supervisor;
            this.config = config;
            this.first = first;
        }

        /** Starts the supervisor with the configuration, or updates it. */
        void run() {
            supervisor.update(config);
            if (first) {
                supervisor.start();
            }
        }
    }

    /** What {@link #update} found. */
    enum Update {
        APPLIED, WIPED, UNKNOWN
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long arrivals;

    /**
     * Adds a tunnel, or replaces one of the same PID; returns the supervisor replaced, to close, or null.
     * {@code restorable}: its configuration as stored, what a restore after a wipe puts back.
     */
    synchronized TunnelSupervisor add(String pid, TunnelSupervisor supervisor, ParsedConfig parsed, Map<String, ?> restorable) {
        Entry previous = entries.put(pid, new Entry(++arrivals, supervisor, parsed, WipeGuard.lastGood(restorable)));
        return previous == null ? null : previous.supervisor;
    }

    /**
     * Records a new configuration of a tunnel, unless it is a wiped one while a good one is known:
     * then the configuration is left as it was and {@link #lastGood(String)} says what to restore.
     * {@code restorable}: the configuration as stored (placeholders unresolved), kept for that.
     */
    synchronized Update update(String pid, ParsedConfig parsed, Map<String, ?> properties, Map<String, ?> restorable) {
        Entry e = entries.get(pid);
        if (e == null) {
            return Update.UNKNOWN;
        }
        if (WipeGuard.wiped(properties) && e.lastGood != null) {
            return Update.WIPED;
        }
        e.lastGood = WipeGuard.lastGood(restorable);
        e.base = parsed;
        e.version++;
        return Update.APPLIED;
    }

    synchronized Map<String, Object> lastGood(String pid) {
        Entry e = entries.get(pid);
        return e == null || e.lastGood == null ? null : Map.copyOf(e.lastGood);
    }

    synchronized String name(String pid) {
        Entry e = entries.get(pid);
        return e == null ? pid : e.base.spec().name();
    }

    /** Removes a tunnel; returns its supervisor, to close, or null. */
    synchronized TunnelSupervisor remove(String pid) {
        Entry e = entries.remove(pid);
        return e == null ? null : e.supervisor;
    }

    /** Every tunnel, in order of arrival. */
    synchronized List<Candidate> snapshot() {
        List<Map.Entry<String, Entry>> ordered = new ArrayList<>(entries.entrySet());
        ordered.sort(Comparator.comparingLong(me -> me.getValue().sequence));
        List<Candidate> out = new ArrayList<>(ordered.size());
        for (Map.Entry<String, Entry> me : ordered) {
            out.add(new Candidate(me.getKey(), me.getValue()));
        }
        return out;
    }

    /**
     * Keeps the results whose tunnel is still there in the version checked, and returns what the
     * supervisors must be told: a first start, or findings or a configuration they do not have yet.
     */
    synchronized List<Delivery> accept(List<Result> results) {
        List<Delivery> out = new ArrayList<>();
        for (Result r : results) {
            Entry e = entries.get(r.candidate.pid);
            if (e != r.candidate.entry || e.version != r.candidate.version) {
                continue; // changed or gone meanwhile: a newer pass is on its way
            }
            if (r.byValidator) {
                e.checked = r.findings.stream().anyMatch(Finding::isError) ? null : e.base.spec();
            }
            boolean first = e.delivered < 0;
            if (first || e.delivered != e.version || !Objects.equals(e.validation, r.findings)
                    || !Objects.equals(e.deliveredSuspension, r.suspension)) {
                e.validation = r.findings;
                e.delivered = e.version;
                e.deliveredSuspension = r.suspension;
                out.add(new Delivery(e.supervisor, e.base.withFindings(r.findings).withSuspension(r.suspension), first));
            }
        }
        return out;
    }

    /** The supervisors, for status queries. */
    synchronized List<TunnelSupervisor> supervisors() {
        List<TunnelSupervisor> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.supervisor));
        return out;
    }

    /** Removes every tunnel; returns their supervisors, to close. */
    synchronized List<TunnelSupervisor> clear() {
        List<TunnelSupervisor> out = supervisors();
        entries.clear();
        return out;
    }
}
