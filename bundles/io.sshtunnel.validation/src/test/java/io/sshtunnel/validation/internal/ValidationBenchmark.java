package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;

/**
 * How long validating one tunnel against all the others takes, with the real rules, privileges
 * and port probe (one bind attempt per free local port). Run with the command in docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ValidationBenchmark {
    @Param({ "10", "100", "1000" })
    public int tunnels;

    private final Rules rules = new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), Privileges.ofThisProcess(), PortProbe.bySocket());
    private List<TunnelSpec> all;
    private int next;

    @Setup
    public void setUp() {
        all = new ArrayList<>();
        for (int i = 0; i < tunnels; i++) {
            int base = 20000 + i * 3;
            all.add(TunnelSpec.builder("pid-" + i, "tunnel-" + i).server("ssh" + (i % 20) + ".customer.example", 22)
                    .username("svc").passwordSet(true)
                    .mappings(List.of(PortMapping.parse("L " + base + ":dc" + i + ".corp.local:389 # LDAP"),
                            PortMapping.parse("L " + (base + 1) + ":sql" + i + ".corp.local:1433"),
                            PortMapping.parse("R *:" + (base + 2) + ":localhost:9100 # Prometheus")))
                    .build());
        }
    }

    /** One tunnel (a different one each time) against all the others. */
    @Benchmark
    public int validateOneAgainstAllOthers() {
        TunnelSpec candidate = all.get(next++ % all.size());
        return rules.check(candidate, all, Locale.ENGLISH, List.of(), (id, port) -> false).size();
    }

    /** The same without the port probe, to see what the bind attempts cost. */
    @Benchmark
    public int validateWithoutProbe() {
        TunnelSpec candidate = all.get(next++ % all.size());
        return new Rules(new Messages("io.sshtunnel.validation.internal.Findings", Messages.class.getClassLoader()), port -> true, (h, p) -> true)
                .check(candidate, all, Locale.ENGLISH, List.of(), (id, port) -> false).size();
    }
}
