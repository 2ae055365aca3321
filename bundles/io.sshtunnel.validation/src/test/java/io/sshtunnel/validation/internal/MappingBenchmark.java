package io.sshtunnel.validation.internal;

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

import io.sshtunnel.api.MappingSyntaxException;
import io.sshtunnel.api.PortMapping;

/**
 * The mapping parser: what one entry of {@code mappings} costs to read and to write back, for the
 * shapes users write (plain, gateway, IPv6, with a label) and for a mistake (the error message is
 * built on the spot). Run with the validation benchmark command in docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MappingBenchmark {
    @Param({ "L 10389:dc1.corp.local:389", "L *:1389:dc1.corp.local:389 # LDAP for the office",
        "R [::1]:9100:[fe80::1%eth0]:9100 # Prometheus", "R 2222:localhost:22" })
    public String entry;

    private PortMapping parsed;
    private String mistake;

    @Setup
    public void setUp() {
        parsed = PortMapping.parse(entry);
        mistake = entry.replaceFirst("\\d+", "65536");
    }

    @Benchmark
    public PortMapping parse() {
        return PortMapping.parse(entry);
    }

    @Benchmark
    public String format() {
        return parsed.format();
    }

    /** The same entry with its first number made 65536: the exception, its message quoting the entry and the fix. */
    @Benchmark
    public String parseAMistake() {
        try {
            PortMapping.parse(mistake);
            return null;
        } catch (MappingSyntaxException e) {
            return e.getMessage();
        }
    }
}
