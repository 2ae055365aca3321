package io.sshtunnel.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelValidator;
import io.sshtunnel.core.config.ParsedConfig;

/**
 * Checks every tunnel with the validators whenever a tunnel or a validator changed, one pass at a
 * time on its own serial executor (never on Config Admin's thread, never under the registry's
 * lock), and starts or updates the supervisors with the result. Requests that arrive during a
 * pass make one more pass; bursts coalesce.
 *
 * <p>Tunnels are checked in order of arrival, each against the earlier ones that hold their
 * ports: of two that collide, the one configured first keeps the port and the other is refused;
 * a refused one never blocks anybody. That is one pass, not a loop to a fixed point.
 *
 * <p>Without a validator (the validation bundle stopped or restarting) nothing is silent: a
 * tunnel that a validator passed in its current form keeps running with a {@code WARNING}
 * finding, and any other waits with an {@code ERROR} finding, until a validator is back.
 */
final class Revalidation {
    private static final Logger LOG = LoggerFactory.getLogger(Revalidation.class);
    static final String UNAVAILABLE_RUNNING = "the validation service (bundle io.sshtunnel.validation) is not running:"
            + " this tunnel was checked before and keeps running, but it is not checked against changes of other tunnels"
            + " until the service is back";
    static final String UNAVAILABLE_WAITING = "the validation service (bundle io.sshtunnel.validation) is not running:"
            + " this configuration cannot be checked, and starts as soon as the service is back; start that bundle";

    private final TunnelRegistry registry;
    private final Executor serial;
    private final Environment env;
    private final java.time.Duration grace;
    /** Until then, a tunnel never checked waits quietly for a validator (it may be starting too). */
    private volatile java.time.Instant quietUntil;
    private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();
    private final List<TunnelValidator> validators = new CopyOnWriteArrayList<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Why a tunnel of this owner must be held back (its module is not active), or null. */
    private final java.util.function.Function<String, String> suspension;

    /**
     * @param executor runs the passes one at a time (tests pass a synchronous one)
     * @param grace    how long a tunnel never checked waits without a finding for a validator to arrive, after
     *                 the engine started or the last validator left: at start-up the validation bundle may
     *                 simply come second, and every tunnel should not flash INVALID
     */
    Revalidation(TunnelRegistry registry, Executor executor, Environment env, java.time.Duration grace) {
        this(registry, executor, env, grace, owner -> null);
    }

    /** @param suspension for an owner, why its tunnels must be held back, or null when they may run */
    Revalidation(TunnelRegistry registry, Executor executor, Environment env, java.time.Duration grace,
            java.util.function.Function<String, String> suspension) {
        this.suspension = suspension;
        this.registry = registry;
        this.serial = executor;
        this.env = env;
        this.grace = grace;
        this.quietUntil = env.clock().instant().plus(grace);
    }

    void addValidator(TunnelValidator v) {
        validators.add(v);
        request();
    }

    void removeValidator(TunnelValidator v) {
        validators.remove(v);
        if (validators.isEmpty()) {
            quietUntil = env.clock().instant().plus(grace); // an update of the validation bundle takes a moment
        }
        request();
    }

    /**
     * Checks one configuration against every tunnel but itself, with the validators there are now,
     * on the caller's thread: for a caller about to save it.
     */
    List<Finding> checkAlone(ParsedConfig config, List<TunnelSpec> others, java.util.Locale locale) {
        // rows that cannot be read (a port of 70000) hide nothing of the others: those are checked
        // too, and each finding keeps the row the operator sees; any other error stops here
        int[] origins = config.hasErrors() ? mappingOrigins(config) : null;
        List<TunnelValidator> vs = List.copyOf(validators);
        if (config.hasErrors() && (origins == null || vs.isEmpty())) {
            return config.findings();
        }
        List<Finding> all = new ArrayList<>(config.findings());
        if (vs.isEmpty()) {
            all.add(new Finding(Severity.ERROR, FindingCodes.VALIDATION_UNAVAILABLE, TunnelConstants.NAME, Finding.NO_MAPPING,
                    UNAVAILABLE_WAITING));
            return all;
        }
        for (TunnelValidator v : vs) {
            for (Finding f : v.validate(config.spec(), others, locale)) {
                Finding at = origins != null && f.mappingIndex() >= 0 && f.mappingIndex() < origins.length
                        ? renumbered(f, origins[f.mappingIndex()]) : f;
                if (!all.contains(at)) {
                    all.add(at);
                }
            }
        }
        List<TunnelSpec> everyone = new ArrayList<>(others);
        everyone.add(0, config.spec()); // its own name is its own, whatever another tunnel is called
        return ViaChains.checked(config.spec(), all, ViaChains.byName(everyone), ViaChains.hops(everyone), locale);
    }

    /**
     * Where each mapping of the spec stands in the configured list, when the only errors are rows
     * that could not be read (each named by its row); null otherwise.
     */
    static int[] mappingOrigins(ParsedConfig config) {
        java.util.Set<Integer> bad = new java.util.TreeSet<>();
        for (Finding f : config.findings()) {
            if (!f.isError()) {
                continue;
            }
            boolean unreadableRow = (FindingCodes.MAPPING_SYNTAX.equals(f.code()) || FindingCodes.TOO_LONG.equals(f.code()))
                    && TunnelConstants.MAPPINGS.equals(f.property()) && f.mappingIndex() >= 0;
            if (!unreadableRow) {
                return null;
            }
            bad.add(f.mappingIndex());
        }
        if (config.findings().stream().anyMatch(f -> FindingCodes.MORE_FINDINGS.equals(f.code()))) {
            return null; // not every unreadable row is named: the others cannot be placed
        }
        int total = config.spec().mappings().size() + bad.size();
        int[] origins = new int[config.spec().mappings().size()];
        int k = 0;
        for (int i = 0; i < total && k < origins.length; i++) {
            if (!bad.contains(i)) {
                origins[k++] = i;
            }
        }
        return origins;
    }

    /** The finding at the row it concerns in the configured list, its leading "mapping N" counted the same way. */
    static Finding renumbered(Finding f, int row) {
        if (row == f.mappingIndex()) {
            return f;
        }
        String message = f.message().replaceFirst("^([Mm]apping )" + (f.mappingIndex() + 1) + "(?=\\D)", "$1" + (row + 1));
        return new Finding(f.severity(), f.code(), f.property(), row, message);
    }

    /** Asks for a pass; returns at once. */
    void request() {
        if (queued.compareAndSet(false, true)) {
            serial.execute(this::pass);
        }
    }

    private void pass() {
        queued.set(false); // a request from now on makes another pass
        List<TunnelValidator> vs = List.copyOf(validators);
        List<TunnelRegistry.Result> results = new ArrayList<>();
        List<TunnelSpec> holding = new ArrayList<>();
        boolean quiet = vs.isEmpty() && env.clock().instant().isBefore(quietUntil);
        List<TunnelRegistry.Candidate> all = registry.snapshot();
        List<TunnelSpec> specs = all.stream().map(c -> c.base.spec()).collect(java.util.stream.Collectors.toList());
        Map<String, TunnelSpec> byName = ViaChains.byName(specs);
        java.util.Set<String> hops = ViaChains.hops(specs);
        for (TunnelRegistry.Candidate c : all) {
            if (quiet && !checkedInThisForm(c)) {
                wakeUpAtTheEndOfTheGrace();
                continue; // not started yet: no finding, no event, until a validator comes or the grace ends
            }
            String owner = c.base.spec().owner();
            String held = owner == null ? null : suspension.apply(owner);
            TunnelRegistry.Result r = vs.isEmpty() ? unchecked(c, held)
                    : new TunnelRegistry.Result(c, ViaChains.checked(c.base.spec(), check(vs, c.base, holding), byName, hops,
                            java.util.Locale.ENGLISH), true, held);
            results.add(r);
            if (!c.base.hasErrors() && r.findings.stream().noneMatch(Finding::isError)) {
                holding.add(c.base.spec());
            }
        }
        for (TunnelRegistry.Delivery d : registry.accept(results)) {
            try {
                d.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Could not hand the checked configuration to its tunnel", e);
            }
        }
    }

    /**
     * Whether a validator passed the tunnel as it is now. A fingerprint of valid form written since
     * counts as no change (usually the engine's own pin after trust on first use): no rule can turn
     * a passed tunnel into a failed one by a well-formed fingerprint, so a tunnel that pinned its key
     * just as the validation bundle went away keeps running.
     */
    static boolean checkedInThisForm(TunnelRegistry.Candidate c) {
        if (c.checked == null) {
            return false;
        }
        io.sshtunnel.api.TunnelSpec now = c.base.spec();
        if (c.checked.equals(now)) {
            return true;
        }
        return now.fingerprint() != null && io.sshtunnel.api.Fingerprints.isValid(now.fingerprint())
                && c.checked.toBuilder().fingerprint(now.fingerprint()).build().equals(now);
    }

    private void wakeUpAtTheEndOfTheGrace() {
        if (wakeUpScheduled.compareAndSet(false, true)) {
            long millis = Math.max(1, java.time.Duration.between(env.clock().instant(), quietUntil).toMillis());
            env.timer().schedule(() -> {
                wakeUpScheduled.set(false);
                request();
            }, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static List<Finding> check(List<TunnelValidator> vs, ParsedConfig config, List<TunnelSpec> others) {
        List<Finding> all = new ArrayList<>();
        for (TunnelValidator v : vs) {
            try {
                for (Finding f : v.validate(config.spec(), List.copyOf(others))) {
                    if (!all.contains(f)) {
                        all.add(f);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Validator {} failed on tunnel \"{}\"", v, config.spec().name(), e);
                all.add(new Finding(Severity.WARNING, FindingCodes.INTERNAL, TunnelConstants.NAME, Finding.NO_MAPPING,
                        "validator " + v.getClass().getName() + " failed (" + e.getClass().getSimpleName()
                                + "): this tunnel was not checked by it; please report this as a bug"));
            }
        }
        return all;
    }

    /** The findings of a tunnel while no validator is there. */
    private static TunnelRegistry.Result unchecked(TunnelRegistry.Candidate c, String held) {
        List<Finding> out = new ArrayList<>();
        if (checkedInThisForm(c)) {
            c.lastValidation.stream().filter(f -> !FindingCodes.VALIDATION_UNAVAILABLE.equals(f.code())).forEach(out::add);
            out.add(new Finding(Severity.WARNING, FindingCodes.VALIDATION_UNAVAILABLE, TunnelConstants.NAME, Finding.NO_MAPPING,
                    UNAVAILABLE_RUNNING));
        } else {
            out.add(new Finding(Severity.ERROR, FindingCodes.VALIDATION_UNAVAILABLE, TunnelConstants.NAME, Finding.NO_MAPPING,
                    UNAVAILABLE_WAITING));
        }
        return new TunnelRegistry.Result(c, out, false, held);
    }
}
