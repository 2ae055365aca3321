package io.sshtunnel.itest;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks of the product (the exported assembly, configured with {@code .cfg} files) side by
 * side with OpenSSH's own {@code ssh -L} / {@code ssh -R}, against one private OpenSSH sshd on
 * 127.0.0.1. Prints a table (ours, OpenSSH's, the ratio) and writes it to
 * {@code itest/target/benchmark.md}. Not a test: run it with the command in the README.
 */
public final class Benchmark {
    private static final int MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path work;
    private final List<String[]> rows = new ArrayList<>();
    private final StringBuilder notes = new StringBuilder();
    private final int reps = Integer.getInteger("bench.reps", 3);
    private final int payloadMiB = Integer.getInteger("bench.mib", 256);

    private Benchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("itest.work", "target/itest-work"), "benchmark-" + System.currentTimeMillis()).toAbsolutePath();
        new Benchmark(work).run();
    }

    private void run() throws Exception {
        if (OpenSsh.binary() == null) {
            throw new IllegalStateException("OpenSSH sshd is not installed (Debian: apt-get install openssh-server)");
        }
        try (OpenSsh sshd = OpenSsh.start(work.resolve("sshd"), "MaxStartups 300:30:400\nClientAliveInterval 0");
                Sink sink = new Sink(); EchoServer echo = new EchoServer()) {
            String user = System.getProperty("user.name");
            header(sshd);
            String only = System.getProperty("bench.only", "");
            java.util.Map<String, Measure> parts = new java.util.LinkedHashMap<>();
            parts.put("throughput", () -> { throughputAndLatency(sshd, sink, echo, user); return 0; });
            parts.put("wan", () -> { wan(sshd, sink, echo, user); return 0; });
            parts.put("memory", () -> { memory(sshd, sink, user); return 0; });
            parts.put("idle", () -> { idle(sshd, echo, user); return 0; });
            parts.put("warmup", () -> { warmup(sshd, sink, user); return 0; });
            parts.put("startup", () -> { startup(); return 0; });
            parts.put("update", () -> { updateToFirstByte(sshd, echo, user); return 0; });
            parts.put("recovery", () -> { recovery(sshd, echo, user); return 0; });
            parts.put("scale", () -> { scale(sshd, echo, user); return 0; });
            parts.put("connections", () -> { connections(sshd, user); return 0; });
            parts.put("ciphers", () -> { ciphersAlone(); return 0; });
            parts.put("apps", () -> { applications(sshd, user); return 0; });
            parts.put("hop", () -> { throughAJumpHost(sshd, sink, echo, user); return 0; });
            for (java.util.Map.Entry<String, Measure> part : parts.entrySet()) {
                if (only.isEmpty() || only.contains(part.getKey())) {
                    part.getValue().run();
                }
            }
        }
        write();
    }

    // ---- throughput and latency -----------------------------------------------------------------

    private void throughputAndLatency(OpenSsh sshd, Sink sink, EchoServer echo, String user) throws Exception {
        int ourL = Net.freeStablePort();
        int ourR = Net.freeStablePort();
        int ourEcho = Net.freeStablePort();
        try (Assembly felix = new Assembly(work.resolve("felix-throughput"), Net.freeStablePort())) {
            felix.start();
            felix.drop("bench", tunnelCfg("bench", sshd, user,
                    "L " + ourL + ":127.0.0.1:" + sink.port(),
                    "R " + ourR + ":127.0.0.1:" + sink.port(),
                    "L " + ourEcho + ":127.0.0.1:" + echo.port()));
            Await.until("our tunnel up", WAIT, () -> Net.echoes(ourEcho) && Net.accepts("127.0.0.1", ourL));
            for (String cipher : new String[] { null, "aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com" }) {
                if (cipher != null) {
                    // the same cipher on both sides: restart ours with it first in the list
                    felix.stop();
                    Assembly forced = new Assembly(work.resolve("felix-" + cipher.substring(0, 6)), Net.freeStablePort(),
                            "-Dio.sshtunnel.ciphers=" + cipher);
                    try (forced) {
                        forced.start();
                        forced.drop("bench", tunnelCfg("bench", sshd, user,
                                "L " + ourL + ":127.0.0.1:" + sink.port(),
                                "R " + ourR + ":127.0.0.1:" + sink.port(),
                                "L " + ourEcho + ":127.0.0.1:" + echo.port()));
                        Await.until("our tunnel up with " + cipher, WAIT, () -> Net.echoes(ourEcho) && Net.accepts("127.0.0.1", ourL));
                        ourPid = forced.pid();
                        compareThroughput(sshd, sink, echo, user, cipher, ourL, ourR, ourEcho);
                    }
                } else {
                    ourPid = felix.pid();
                    compareThroughput(sshd, sink, echo, user, null, ourL, ourR, ourEcho);
                }
            }
        }
    }

    /**
     * The ciphers alone, in this JVM, on MINA's largest packet: what each costs before any socket.
     * Our chacha20-poly1305 (the JDK's ChaCha20) beside MINA's own (plain-Java ChaCha20), the A/B
     * of that change; AES-GCM for scale.
     */
    private void ciphersAlone() throws Exception {
        String java = "Java " + Runtime.version().feature();
        java.util.Map<String, java.util.function.Supplier<org.apache.sshd.common.cipher.Cipher>> ciphers = new java.util.LinkedHashMap<>();
        ciphers.put("chacha20-poly1305, ours (JDK ChaCha20)", io.sshtunnel.core.ssh.ChaCha20Poly1305.FACTORY::create);
        ciphers.put("chacha20-poly1305, MINA's built-in", org.apache.sshd.common.cipher.ChaCha20Cipher::new);
        ciphers.put("aes128-gcm, MINA's on the JDK's AES-GCM", org.apache.sshd.common.cipher.BuiltinCiphers.aes128gcm::create);
        for (var c : ciphers.entrySet()) {
            row("cipher alone, encrypt 32 KiB packets, " + c.getKey() + ", " + java, "Gbit/s", true,
                    median(() -> cipherGbits(c.getValue().get())), Double.NaN);
        }
    }

    private static double cipherGbits(org.apache.sshd.common.cipher.Cipher c) throws Exception {
        byte[] key = new byte[c.getKdfSize()];
        byte[] iv = new byte[c.getIVSize()];
        new java.security.SecureRandom().nextBytes(key);
        c.init(org.apache.sshd.common.cipher.Cipher.Mode.Encrypt, key, iv);
        int size = 32 * 1024;
        byte[] packet = new byte[4 + size + c.getAuthenticationTagSize()];
        int n = 20_000; // 640 MiB: the JIT has compiled it after the first few hundred
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            c.updateWithAAD(packet, 0, 4, size);
        }
        return gbits((long) n * size, System.nanoTime() - t0);
    }

    /** The process of the assembly that {@link #compareThroughput} measures, for its CPU figures. */
    private long ourPid;

    private void compareThroughput(OpenSsh sshd, Sink sink, EchoServer echo, String user, String cipher, int ourL, int ourR,
            int ourEcho) throws Exception {
        int sshL = Net.freeStablePort();
        int sshR = Net.freeStablePort();
        int sshEcho = Net.freeStablePort();
        String label = cipher == null ? "each side's default cipher" : cipher;
        Process ssh = ssh(sshd, user, cipher, "-L", sshL + ":127.0.0.1:" + sink.port(), "-R", sshR + ":127.0.0.1:" + sink.port(),
                "-L", sshEcho + ":127.0.0.1:" + echo.port());
        try {
            Await.until("ssh -L up", WAIT, () -> Net.echoes(sshEcho));
            long bytes = (long) payloadMiB * MIB;
            gbitsRow("throughput L, 1 stream, " + label, bytes, Benchmark::streamTime, ourL, sshL);
            gbitsRow("throughput R, 1 stream, " + label, bytes, Benchmark::streamTime, ourR, sshR);
            long each = bytes / 8;
            if (ourPid > 0) {
                // CPU per GiB moved through L, one stream: our whole JVM against the ssh process
                long gib = Math.max(bytes, 1024L * MIB);
                double c0 = cpuSeconds(ourPid);
                streamTime("127.0.0.1", ourL, gib);
                double ours = (cpuSeconds(ourPid) - c0) / (gib / (1024.0 * MIB));
                double s0 = cpuSeconds(ssh.pid());
                streamTime("127.0.0.1", sshL, gib);
                double theirs = (cpuSeconds(ssh.pid()) - s0) / (gib / (1024.0 * MIB));
                row("CPU per GiB through L, 1 stream, " + label + " (our JVM vs the ssh process)", "s", false, ours, theirs);
            }
            gbitsRow("throughput L, 8 streams, " + label, 8 * each, (host, port, b) -> parallelTime(host, port, 8, b / 8), ourL, sshL);
            if (cipher == null) {
                for (int size : new int[] { 1, 64 }) {
                    long[] ours = rtt("127.0.0.1", ourEcho, size, 5000);
                    long[] theirs = rtt("127.0.0.1", sshEcho, size, 5000);
                    row("round trip p50, " + size + " byte(s)", "µs", false, ours[0] / 1000.0, theirs[0] / 1000.0);
                    row("round trip p99, " + size + " byte(s)", "µs", false, ours[1] / 1000.0, theirs[1] / 1000.0);
                }
                long[] raw = rtt("127.0.0.1", echo.port(), 1, 5000);
                notes.append(String.format(Locale.ROOT, "- Raw loopback round trip (no tunnel), 1 byte: p50 %.0f µs, p99 %.0f µs.%n",
                        raw[0] / 1000.0, raw[1] / 1000.0));
            }
        } finally {
            ssh.destroy();
            ssh.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- through a jump host -------------------------------------------------------------------------

    /**
     * Through a jump host: our tunnel {@code via} the bastion's tunnel beside {@code ssh -J} (as its
     * ProxyCommand equivalent, {@code ssh -W}, so that the hop uses the same key and options). The
     * bastion is the same sshd: two SSH layers on one loopback path, the cost of the hop itself.
     */
    private void throughAJumpHost(OpenSsh sshd, Sink sink, EchoServer echo, String user) throws Exception {
        int ourEcho = Net.freeStablePort();
        int ourL = Net.freeStablePort();
        try (Assembly felix = new Assembly(work.resolve("felix-hop"), Net.freeStablePort())) {
            felix.start();
            String[] bastion = tunnelCfg("bastion", sshd, user);
            felix.drop("bastion", java.util.Arrays.stream(bastion).filter(l -> !l.startsWith("mappings")).toArray(String[]::new));
            String[] far = tunnelCfg("far", sshd, user, "L " + ourEcho + ":127.0.0.1:" + echo.port(), "L " + ourL + ":127.0.0.1:" + sink.port());
            String[] withVia = java.util.Arrays.copyOf(far, far.length + 1);
            withVia[far.length] = "via = bastion";
            felix.drop("far", withVia);
            Await.until("our tunnel through the bastion up", WAIT, () -> Net.echoes(ourEcho));
            int sshEcho = Net.freeStablePort();
            int sshL = Net.freeStablePort();
            String jump = "ssh -i " + sshd.clientKey() + " -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
                    + " -o LogLevel=ERROR -p " + sshd.port() + " -W %h:%p " + user + "@127.0.0.1";
            Process ssh = ssh(sshd, user, null, "-o", "ProxyCommand=" + jump, "-L", sshEcho + ":127.0.0.1:" + echo.port(),
                    "-L", sshL + ":127.0.0.1:" + sink.port());
            try {
                Await.until("ssh -J up", WAIT, () -> Net.echoes(sshEcho));
                rtt("127.0.0.1", ourEcho, 64, 20_000); // warm-up: the JIT compiles the path once, as after minutes of use
                rtt("127.0.0.1", sshEcho, 64, 20_000);
                for (int size : new int[] { 1, 64 }) {
                    long[] ours = rtt("127.0.0.1", ourEcho, size, 10_000);
                    long[] theirs = rtt("127.0.0.1", sshEcho, size, 10_000);
                    row("through a jump host: round trip p50, " + size + " byte(s) (vs ssh -J)", "µs", false, ours[0] / 1000.0,
                            theirs[0] / 1000.0);
                    row("through a jump host: round trip p99, " + size + " byte(s) (vs ssh -J)", "µs", false, ours[1] / 1000.0,
                            theirs[1] / 1000.0);
                }
                long bytes = Math.min(256L, payloadMiB) * MIB;
                gbitsRow("through a jump host: throughput L, 1 stream (vs ssh -J)", bytes, Benchmark::streamTime, ourL, sshL);
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- a WAN-shaped path ------------------------------------------------------------------------

    /**
     * Throughput and round trips with a delay relay between the client (ours, or ssh) and sshd,
     * adding half the round trip each way: the SSH connection crosses a long path, the mappings'
     * ends stay on loopback. R carries data from the server to the client, so the channel window
     * that limits it is the one the client advertises (ours); L carries it the other way, limited
     * by sshd's window. Single streams of at most 64 MiB, median of the runs.
     */
    private void wan(OpenSsh sshd, Sink sink, EchoServer echo, String user) throws Exception {
        Path relay = delayRelay();
        if (relay == null) {
            notes.append("- WAN rows skipped: no C compiler (cc) to build the delay relay src/test/c/delayproxy.c.\n");
            return;
        }
        long bytes = Math.min(64L, payloadMiB) * MIB;
        for (int rttMs : new int[] { 10, 30, 80 }) {
            int path = Net.freeStablePort();
            Process proxy = relay(relay, path, sshd.port(), rttMs);
            int ourL = Net.freeStablePort();
            int ourR = Net.freeStablePort();
            int ourEcho = Net.freeStablePort();
            int sshL = Net.freeStablePort();
            int sshR = Net.freeStablePort();
            int sshEcho = Net.freeStablePort();
            try (Assembly felix = new Assembly(work.resolve("felix-wan-" + rttMs), Net.freeStablePort())) {
                Await.until("the delay relay listening", WAIT, () -> Net.accepts("127.0.0.1", path));
                felix.start();
                String[] cfg = tunnelCfg("wan", path, sshd, user, "L " + ourL + ":127.0.0.1:" + sink.port(),
                        "R " + ourR + ":127.0.0.1:" + sink.port(), "L " + ourEcho + ":127.0.0.1:" + echo.port());
                felix.drop("wan", cfg);
                Await.until("our tunnel up across " + rttMs + " ms", WAIT, () -> Net.echoes(ourEcho) && Net.accepts("127.0.0.1", ourR));
                Process ssh = ssh(path, sshd, user, null, "-L", sshL + ":127.0.0.1:" + sink.port(), "-R", sshR + ":127.0.0.1:" + sink.port(),
                        "-L", sshEcho + ":127.0.0.1:" + echo.port());
                try {
                    Await.until("ssh up across " + rttMs + " ms", WAIT, () -> Net.echoes(sshEcho) && Net.accepts("127.0.0.1", sshR));
                    String at = "WAN " + rttMs + " ms round trip: ";
                    gbitsRow(at + "R, 1 stream (server → client: the client's window)", bytes, Benchmark::streamTime, ourR, sshR);
                    gbitsRow(at + "R, 1 stream back (client → server: sshd's window)", bytes, Benchmark::downloadTime, ourR, sshR);
                    gbitsRow(at + "L download, 1 stream (server → client: the client's window)", bytes, Benchmark::downloadTime, ourL, sshL);
                    gbitsRow(at + "L, 1 stream (client → server: sshd's window)", bytes, Benchmark::streamTime, ourL, sshL);
                    gbitsRow(at + "L, 8 streams", bytes, (host, port, b) -> parallelTime(host, port, 8, b / 8), ourL, sshL);
                    row(at + "request/response p50, 64 bytes", "ms", false, rtt("127.0.0.1", ourEcho, 64, 100)[0] / 1e6,
                            rtt("127.0.0.1", sshEcho, 64, 100)[0] / 1e6);
                } finally {
                    ssh.destroy();
                    ssh.waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                proxy.destroy();
                proxy.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the delay relay: 127.0.0.1:{@code listen} to 127.0.0.1:{@code target}, half the round trip each way. */
    private static Process relay(Path relay, int listen, int target, int rttMs) throws IOException {
        return new ProcessBuilder(relay.toString(), "127.0.0.1", Integer.toString(listen), "127.0.0.1", Integer.toString(target),
                Integer.toString(rttMs / 2)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Builds the delay relay with the system's C compiler; null where there is none. */
    private Path delayRelay() throws Exception {
        Path source = Path.of(System.getProperty("bench.delayproxy", "src/test/c/delayproxy.c"));
        Path binary = Files.createDirectories(work).resolve("delayproxy");
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString(), "-lpthread")
                    .redirectErrorStream(true).start();
            String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                notes.append("- the delay relay did not build: ").append(out.strip()).append('\n');
                return null;
            }
            return binary;
        } catch (IOException e) {
            return null;
        }
    }

    /** CPU seconds (user and system) a process has used so far, from /proc/PID/stat; NaN where unknown. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15) in USER_HZ
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---- configuration update -> first byte ---------------------------------------------------------

    // ---- start-up -------------------------------------------------------------------------------

    /** JVM start to a console that answers, on fresh storage and on kept storage, on each Java at hand. */
    private void startup() throws Exception {
        List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        String java25 = System.getenv("SSHTUNNEL_IT_JAVA25");
        if (java25 != null && Files.isExecutable(Path.of(java25, "bin/java"))) {
            javas.add(Path.of(java25));
        }
        for (Path java : javas) {
            String version = Runtime.version().feature() + "";
            if (!java.equals(Path.of(System.getProperty("java.home")))) {
                version = "25";
            }
            List<Double> fresh = new ArrayList<>();
            List<Double> kept = new ArrayList<>();
            for (int i = 0; i < Math.max(3, reps); i++) {
                Assembly felix = new Assembly(work.resolve("felix-start-" + version + "-" + i), Net.freeStablePort()).onJava(java);
                try {
                    for (List<Double> into : List.of(fresh, kept)) {
                        long t0 = System.nanoTime();
                        felix.start();
                        Await.until("console answers", WAIT, () -> felix.http("/system/console/bundles") == 200);
                        into.add((System.nanoTime() - t0) / 1e6);
                        felix.terminate();
                    }
                } finally {
                    felix.stop();
                }
            }
            row("JVM start → console answers, fresh storage, Java " + version, "ms", false, medianOf(fresh), Double.NaN);
            row("JVM start → console answers, kept storage, Java " + version, "ms", false, medianOf(kept), Double.NaN);
            // the README's first command: the demo tunnel to the embedded SSH server, its L 18082
            List<Double> demo = new ArrayList<>();
            for (int i = 0; i < Math.max(3, reps); i++) {
                int http = Net.freeStablePort();
                int demoL = http + 10002; // the demo's L mapping to its stand-in service (18082 beside 8080)
                Assembly felix = new Assembly(work.resolve("felix-demo-" + version + "-" + i), http, "-Dsshtunnel.demo=true").onJava(java);
                try {
                    long t0 = System.nanoTime();
                    felix.start();
                    Await.until("a byte through the demo tunnel", WAIT, () -> answers(demoL));
                    demo.add((System.nanoTime() - t0) / 1e6);
                } finally {
                    felix.stop();
                }
            }
            row("JVM start → first byte through the demo tunnel (its L mapping), fresh storage, Java " + version, "ms", false,
                    medianOf(demo), Double.NaN);
        }
    }

    private void updateToFirstByte(OpenSsh sshd, EchoServer echo, String user) throws Exception {
        try (Assembly felix = new Assembly(work.resolve("felix-update"), Net.freeStablePort(), "-Dfelix.fileinstall.poll=50")) {
            felix.start();
            int warm = Net.freeStablePort();
            felix.drop("warm", tunnelCfg("warm", sshd, user, "L " + warm + ":127.0.0.1:" + echo.port()));
            Await.until("engine warm", WAIT, () -> Net.echoes(warm));
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int i = 0; i < Math.max(5, reps); i++) {
                int port = Net.freeStablePort();
                long t0 = System.nanoTime();
                felix.drop("update" + i, tunnelCfg("update" + i, sshd, user, "L " + port + ":127.0.0.1:" + echo.port()));
                Await.until("first byte", WAIT, () -> Net.echoes(port));
                ours.add((System.nanoTime() - t0) / 1e6);

                int sshPort = Net.freeStablePort();
                long t1 = System.nanoTime();
                Process ssh = ssh(sshd, user, null, "-L", sshPort + ":127.0.0.1:" + echo.port());
                try {
                    Await.until("ssh first byte", WAIT, () -> Net.echoes(sshPort));
                    theirs.add((System.nanoTime() - t1) / 1e6);
                } finally {
                    ssh.destroy();
                    ssh.waitFor(10, TimeUnit.SECONDS);
                }
            }
            row("configuration written → first forwarded byte (FileInstall poll 50 ms) vs a fresh ssh -L", "ms", false,
                    medianOf(ours), medianOf(theirs));
        }
    }

    // ---- recovery -----------------------------------------------------------------------------------

    private void recovery(OpenSsh sshd, EchoServer echo, String user) throws Exception {
        try (Assembly felix = new Assembly(work.resolve("felix-recovery"), Net.freeStablePort());
                FreezableProxy proxy = new FreezableProxy(sshd.port())) {
            felix.start();
            int l = Net.freeStablePort();
            int hole = Net.freeStablePort();
            felix.drop("recover", tunnelCfg("recover", sshd, user, "L " + l + ":127.0.0.1:" + echo.port()));
            felix.drop("hole", "name = hole", "server.host = 127.0.0.1", "server.port = " + proxy.port(),
                    "username = " + user, "private.key.path = " + sshd.clientKey(),
                    "mappings = L " + hole + ":127.0.0.1:" + echo.port());
            Await.until("both up", WAIT, () -> Net.echoes(l) && Net.echoes(hole));

            // black hole: no FIN, no RST; the default keepalive (5 s, 3 probes) must notice
            long frozen = System.nanoTime();
            proxy.freeze();
            Await.until("black hole noticed (listener closed)", Duration.ofSeconds(60), () -> !Net.accepts("127.0.0.1", hole));
            double detected = (System.nanoTime() - frozen) / 1e9;
            row("black-holed connection declared dead (keepalive.seconds=5; goal ≤ 16 s)", "s", false, detected, Double.NaN);

            sshd.kill();
            Await.until("tunnel noticed the restart", WAIT, () -> !Net.echoes(l));
            sshd.start();
            long restarted = System.nanoTime();
            Await.until("back up", WAIT, () -> Net.echoes(l));
            row("sshd restarted → tunnel carries bytes again (reconnect.max.seconds=20)", "s", false,
                    (System.nanoTime() - restarted) / 1e9, Double.NaN);
            proxy.thaw();
        }
    }

    // ---- memory with stalled readers ------------------------------------------------------------------

    /**
     * 200 downloads through one L mapping whose readers on this machine read nothing, on loopback
     * and across an 80 ms round trip: the process's RSS (and our heap after a full GC) once the flow
     * has stopped, against the same process before. The window budget bounds ours; ssh holds up to
     * its 2 MiB window per channel.
     */
    private void memory(OpenSsh sshd, Sink sink, String user) throws Exception {
        Path relay = delayRelay();
        for (int rttMs : relay == null ? new int[] { 0 } : new int[] { 0, 80 }) {
            int path = rttMs == 0 ? sshd.port() : Net.freeStablePort();
            Process proxy = rttMs == 0 ? null : relay(relay, path, sshd.port(), rttMs);
            int ourL = Net.freeStablePort();
            int sshL = Net.freeStablePort();
            try (Assembly felix = new Assembly(work.resolve("felix-memory-" + rttMs), Net.freeStablePort())) {
                if (proxy != null) {
                    Await.until("the delay relay listening", WAIT, () -> Net.accepts("127.0.0.1", path));
                }
                felix.start();
                felix.drop("memory", tunnelCfg("memory", path, sshd, user, "L " + ourL + ":127.0.0.1:" + sink.port()));
                Await.until("our tunnel up", WAIT, () -> Net.accepts("127.0.0.1", ourL));
                Process ssh = ssh(path, sshd, user, null, "-L", sshL + ":127.0.0.1:" + sink.port());
                try {
                    Await.until("ssh up", WAIT, () -> Net.accepts("127.0.0.1", sshL));
                    downloadTime("127.0.0.1", ourL, 64 * MIB); // both sides have moved data once
                    downloadTime("127.0.0.1", sshL, 64 * MIB);
                    String at = rttMs == 0 ? "loopback" : rttMs + " ms round trip";
                    long[] ours = stalledReaders(felix.pid(), ourL, sink);
                    long[] theirs = stalledReaders(ssh.pid(), sshL, sink);
                    row("200 stalled downloads through one L mapping, " + at + ": RSS growth of the process", "MiB", false, ours[0],
                            theirs[0]);
                    row("200 stalled downloads through one L mapping, " + at + ": our heap after GC, growth (budget 64 MiB + 256 KiB per channel beyond it)",
                            "MiB", false, ours[1], Double.NaN);
                } finally {
                    ssh.destroy();
                    ssh.waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                if (proxy != null) {
                    proxy.destroy();
                    proxy.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Opens 200 downloads through the port that read nothing, waits for the flow to stop: RSS and heap growth (MiB). */
    private static long[] stalledReaders(long pid, int port, Sink sink) throws Exception {
        boolean jvm = isJvm(pid);
        long[] before = jvm ? processFigures(pid) : new long[] { rss(pid), 0 };
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                readers.add(s);
                s.setReceiveBufferSize(64 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
                out.writeLong(-256 * MIB); // more than any window and socket buffer on the way
                out.flush();
            }
            Await.steady("the downloads to stall", Duration.ofSeconds(180), sink.sent::get, Duration.ofSeconds(3));
            long[] after = jvm ? processFigures(pid) : new long[] { rss(pid), 0 };
            return new long[] { after[0] - before[0], after[1] - before[1] };
        } finally {
            for (Socket s : readers) {
                s.close();
            }
        }
    }

    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("java")).orElse(false);
    }

    /** Resident memory of a process, MiB. */
    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }

    // ---- idle cost ----------------------------------------------------------------------------------

    /**
     * What holding 10 idle tunnels costs all day: CPU seconds per minute and RSS of the whole
     * assembly (web console, FileInstall, keepalives every 5 s) against 10 ssh processes with the
     * same keepalive (ServerAliveInterval=5).
     */
    private void idle(OpenSsh sshd, EchoServer echo, String user) throws Exception {
        Duration window = Duration.ofSeconds(Integer.getInteger("bench.idleSeconds", 60));
        try (Assembly felix = new Assembly(work.resolve("felix-idle"), Net.freeStablePort())) {
            felix.start();
            List<Integer> ports = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                int p = Net.freeStablePort();
                ports.add(p);
                felix.drop("idle" + t, tunnelCfg("idle" + t, sshd, user, "L " + p + ":127.0.0.1:" + echo.port()));
            }
            for (int p : ports) {
                Await.until("bytes through " + p, WAIT, () -> Net.echoes(p));
            }
            List<Process> ssh = new ArrayList<>();
            try {
                for (int t = 0; t < 10; t++) {
                    int p = Net.freeStablePort();
                    ssh.add(ssh(sshd, user, null, "-o", "ServerAliveInterval=5", "-L", p + ":127.0.0.1:" + echo.port()));
                    Await.until("ssh " + t + " up", WAIT, () -> Net.echoes(p));
                }
                Await.letTimePass("start-up work to settle", Duration.ofSeconds(10));
                double ours0 = cpuSeconds(felix.pid());
                double theirs0 = 0;
                for (Process p : ssh) {
                    theirs0 += cpuSeconds(p.pid());
                }
                Await.letTimePass("an idle window", window);
                double minutes = window.toSeconds() / 60.0;
                double ours = (cpuSeconds(felix.pid()) - ours0) / minutes;
                double theirs = -theirs0;
                long theirRss = 0;
                for (Process p : ssh) {
                    theirs += cpuSeconds(p.pid());
                    theirRss += rss(p.pid());
                }
                theirs = Math.max(0, theirs) / minutes;
                row("10 idle tunnels: CPU per minute (whole assembly vs 10 ssh processes)", "s", false, ours, theirs);
                row("10 idle tunnels: RSS (whole assembly vs 10 ssh processes)", "MiB", false, rss(felix.pid()), theirRss);
            } finally {
                for (Process p : ssh) {
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    // ---- warm and cold --------------------------------------------------------------------------------

    /**
     * The first seconds through a new tunnel in a new JVM, as iperf3 would show them, beside its
     * steady state: one stream through L for 10 s, bytes per second, ours and a new ssh process.
     */
    private void warmup(OpenSsh sshd, Sink sink, String user) throws Exception {
        int ourL = Net.freeStablePort();
        int sshL = Net.freeStablePort();
        try (Assembly felix = new Assembly(work.resolve("felix-warmup"), Net.freeStablePort())) {
            felix.start();
            felix.drop("warmup", tunnelCfg("warmup", sshd, user, "L " + ourL + ":127.0.0.1:" + sink.port()));
            Await.until("our tunnel up", WAIT, () -> Net.accepts("127.0.0.1", ourL));
            Process ssh = ssh(sshd, user, null, "-L", sshL + ":127.0.0.1:" + sink.port());
            try {
                Await.until("ssh up", WAIT, () -> Net.accepts("127.0.0.1", sshL));
                double[] ours = perSecond("127.0.0.1", ourL, 10);
                double[] theirs = perSecond("127.0.0.1", sshL, 10);
                row("new JVM, new tunnel: L, 1 stream, 1st second", "Gbit/s", true, ours[0], theirs[0]);
                row("new JVM, new tunnel: L, 1 stream, seconds 1-5", "Gbit/s", true, mean(ours, 0, 5), mean(theirs, 0, 5));
                row("new JVM, new tunnel: L, 1 stream, seconds 6-10 (steady)", "Gbit/s", true, mean(ours, 5, 10), mean(theirs, 5, 10));
                StringBuilder b = new StringBuilder("- Warm-up, L, Gbit/s per second (ours | ssh):");
                for (int i = 0; i < ours.length; i++) {
                    b.append(String.format(Locale.ROOT, " %.2f|%.2f", ours[i], theirs[i]));
                }
                notes.append(b).append('\n');
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One stream to the sink through host:port for the given seconds: Gbit/s sent in each second. */
    private static double[] perSecond(String host, int port, int seconds) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long[] bytes = new long[seconds];
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeLong(Long.MAX_VALUE); // the sink reads until the stream ends
            long t0 = System.nanoTime();
            for (int i; (i = (int) ((System.nanoTime() - t0) / 1_000_000_000L)) < seconds;) {
                out.write(buf);
                bytes[i] += buf.length;
            }
        }
        double[] gbits = new double[seconds];
        for (int i = 0; i < seconds; i++) {
            gbits[i] = bytes[i] * 8 / 1e9;
        }
        return gbits;
    }

    private static double mean(double[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += v[i];
        }
        return sum / (to - from);
    }

    // ---- scale --------------------------------------------------------------------------------------

    private void scale(OpenSsh sshd, EchoServer echo, String user) throws Exception {
        try (Assembly felix = new Assembly(work.resolve("felix-scale"), Net.freeStablePort(), "-Xmx512m")) {
            felix.start();
            Await.until("web console", WAIT, () -> felix.http("/system/console/bundles") == 200);
            long[] idle = processFigures(felix.pid());
            notes.append(String.format(Locale.ROOT, "- Container with no tunnel: RSS %d MiB, heap after GC %d MiB, %d threads.%n",
                    idle[0], idle[1], idle[2]));
            int done = 0;
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int target : new int[] { 10, 100 }) {
                List<Integer> ports = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = done; t < target; t++) {
                    List<String> mappings = new ArrayList<>();
                    for (int m = 0; m < 10; m++) {
                        int p = Net.freeStablePort();
                        while (!used.add(p)) { // a port free a moment ago may be handed out twice
                            p = Net.freeStablePort();
                        }
                        ports.add(p);
                        mappings.add("L " + p + ":127.0.0.1:" + echo.port());
                    }
                    felix.drop("scale" + t, tunnelCfg("scale" + t, sshd, user, mappings.toArray(new String[0])));
                }
                for (int p : ports) {
                    Await.until("listener " + p, Duration.ofSeconds(120), () -> Net.accepts("127.0.0.1", p));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < ports.size(); i += 10) {
                    int p = ports.get(i);
                    Await.until("bytes through " + p, WAIT, () -> Net.echoes(p));
                }
                long[] f = processFigures(felix.pid());
                row(target + " tunnels × 10 mappings: new ones " + (target - done) + " all listening", "s", false, seconds, Double.NaN);
                row(target + " tunnels × 10 mappings: RSS of the whole container (goal < 256 MiB)", "MiB", false, f[0], Double.NaN);
                row(target + " tunnels × 10 mappings: heap after GC", "MiB", false, f[1], Double.NaN);
                row(target + " tunnels × 10 mappings: live threads", "", false, f[2], Double.NaN);
                // workers that connected the new tunnels in parallel leave after 30 s idle
                Await.letTimePass("the engine's idle workers leave (30 s idle timeout)", Duration.ofSeconds(35));
                row(target + " tunnels × 10 mappings: live threads 35 s later", "", false, processFigures(felix.pid())[2], Double.NaN);
                done = target;
            }
        }
    }

    // ---- new connections: a new TCP connection per request, many clients at once -------------

    /**
     * ApacheBench against a small HTTP server, a new connection per request, with 20, 100 and 400
     * clients at once, through L and through R, ours beside {@code ssh -L}/{@code -R}: requests per
     * second, the 99th percentile and failed requests. What LDAP binds, SQL logins and Prometheus
     * scrapes cost, rather than bulk bytes.
     */
    private void connections(OpenSsh sshd, String user) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/ab"))) {
            throw new IllegalStateException("ApacheBench is not installed (Debian: apt-get install apache2-utils)");
        }
        try (TestServer http = new TestServer("bench-http", Benchmark::answerHttp);
                Assembly felix = new Assembly(work.resolve("felix-connections"), Net.freeStablePort())) {
            int ourL = Net.freeStablePort();
            int ourR = Net.freeStablePort();
            int sshL = Net.freeStablePort();
            int sshR = Net.freeStablePort();
            felix.start();
            felix.drop("conn", tunnelCfg("conn", sshd, user, "L " + ourL + ":127.0.0.1:" + http.port(),
                    "R " + ourR + ":127.0.0.1:" + http.port()));
            Process ssh = ssh(sshd, user, null, "-L", sshL + ":127.0.0.1:" + http.port(), "-R", sshR + ":127.0.0.1:" + http.port());
            try {
                Await.until("both tunnels up", WAIT, () -> answers(ourL) && answers(ourR) && answers(sshL) && answers(sshR));
                for (int clients : new int[] { 20, 100, 400 }) {
                    int requests = Math.max(4000, clients * 20);
                    for (String kind : new String[] { "L", "R" }) {
                        int ours = kind.equals("L") ? ourL : ourR;
                        int theirs = kind.equals("L") ? sshL : sshR;
                        ab(ours, clients, requests / 4); // warm-up
                        ab(theirs, clients, requests / 4);
                        double[] o = ab(ours, clients, requests);
                        double[] t = ab(theirs, clients, requests);
                        String what = "new connections through " + kind + ", " + clients + " clients at once";
                        row(what + ": requests per second", "req/s", true, o[0], t[0]);
                        row(what + ": 99th percentile", "ms", false, o[1], t[1]);
                        row(what + ": failed requests (of " + requests + ")", "", false, o[2], t[2]);
                    }
                }
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Real clients of real servers through L, as people use tunnels: PostgreSQL's pgbench (4
     * clients, 10 s, the TPC-B-like default) and 50 ldapsearch runs against slapd, each a new
     * connection, a bind and a lookup. Our tunnel and ssh -L to the same server, the same run.
     */
    private void applications(OpenSsh sshd, String user) throws Exception {
        try (AppServers.Postgres pg = new AppServers.Postgres(work.resolve("postgres"), Net.freeStablePort());
                AppServers.Slapd ldap = new AppServers.Slapd(work.resolve("slapd"), Net.freeStablePort());
                Assembly felix = new Assembly(work.resolve("felix-apps"), Net.freeStablePort())) {
            int ourPg = Net.freeStablePort();
            int ourLdap = Net.freeStablePort();
            int sshPg = Net.freeStablePort();
            int sshLdap = Net.freeStablePort();
            felix.start();
            felix.drop("apps", tunnelCfg("apps", sshd, user, "L " + ourPg + ":127.0.0.1:" + pg.port, "L " + ourLdap + ":127.0.0.1:" + ldap.port));
            Process ssh = ssh(sshd, user, null, "-L", sshPg + ":127.0.0.1:" + pg.port, "-L", sshLdap + ":127.0.0.1:" + ldap.port);
            try {
                Await.until("both tunnels carry LDAP", WAIT, () -> {
                    try {
                        AppServers.Slapd.seconds(ourLdap, 1);
                        AppServers.Slapd.seconds(sshLdap, 1);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                });
                AppServers.Postgres.tps(ourPg, 4, 3); // warm-up, both
                AppServers.Postgres.tps(sshPg, 4, 3);
                for (int i = 0; i < Math.max(1, reps); i++) {
                    row("pgbench, 4 clients, 10 s, through L (run " + (i + 1) + ")", "tps", true, AppServers.Postgres.tps(ourPg, 4, 10),
                            AppServers.Postgres.tps(sshPg, 4, 10));
                }
                AppServers.Slapd.seconds(ourLdap, 10); // warm-up, both
                AppServers.Slapd.seconds(sshLdap, 10);
                for (int i = 0; i < Math.max(1, reps); i++) {
                    row("50 ldapsearch runs (each a new connection, bind and lookup) through L (run " + (i + 1) + ")", "s", false,
                            AppServers.Slapd.seconds(ourLdap, 50), AppServers.Slapd.seconds(sshLdap, 50));
                }
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether a request through the port gets its answer (a listener alone may accept and close: ssh -L before it logged in). */
    private static boolean answers(int port) {
        double[] r = ab(port, 1, 1);
        return r != null && r[2] == 0;
    }

    /** Reads a request's head and answers a short response, then closes: one request per connection. */
    private static void answerHttp(Socket s) throws IOException {
        java.io.InputStream in = s.getInputStream();
        String end = "\r\n\r\n";
        for (int matched = 0, b; matched < end.length() && (b = in.read()) >= 0;) {
            matched = b == end.charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
                .getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
    }

    /** {requests per second, 99th percentile in ms, failed requests} of one ApacheBench run, or null when it did not finish. */
    private static double[] ab(int port, int clients, int requests) {
        try {
            Process p = new ProcessBuilder("ab", "-q", "-r", "-s", "30", "-n", Integer.toString(requests), "-c",
                    Integer.toString(clients), "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            double rps = Double.NaN;
            double p99 = Double.NaN;
            double failed = 0;
            for (String line : out.split("\n")) {
                String l = line.trim();
                if (l.startsWith("Requests per second:")) {
                    rps = Double.parseDouble(l.split("\\s+")[3]);
                } else if (l.startsWith("99%")) {
                    p99 = Double.parseDouble(l.split("\\s+")[1]);
                } else if (l.startsWith("Failed requests:")) {
                    failed = Double.parseDouble(l.split("\\s+")[2]);
                }
            }
            return Double.isNaN(rps) ? null : new double[] { rps, p99, failed };
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** RSS (MiB), heap used after a full GC (MiB), thread count of a process. */
    private static long[] processFigures(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String heap = run("jcmd", Long.toString(pid), "GC.heap_info");
        long used = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heap);
        if (m.find()) {
            used = Long.parseLong(m.group(1)) / 1024;
        }
        long rss = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] { rss, used, threads };
    }

    // ---- measuring ----------------------------------------------------------------------------------

    interface Measure {
        double run() throws Exception;
    }

    private double median(Measure m) throws Exception {
        m.run(); // warm-up
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            values.add(m.run());
        }
        return medianOf(values);
    }

    private static double medianOf(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double gbits(long bytes, long nanos) {
        return bytes * 8.0 / nanos;
    }

    /** One transfer of {@code bytes} through host:port: nanoseconds. */
    interface Transfer {
        long nanos(String host, int port, long bytes) throws Exception;
    }

    /** A row of Gbit/s: the median of the transfer through our port beside the same through ssh's. */
    private void gbitsRow(String what, long bytes, Transfer t, int ours, int theirs) throws Exception {
        row(what, "Gbit/s", true, median(() -> gbits(bytes, t.nanos("127.0.0.1", ours, bytes))),
                median(() -> gbits(bytes, t.nanos("127.0.0.1", theirs, bytes))));
    }

    /** A connection for one measured stream: no Nagle delay, two minutes at most without a byte. */
    private static Socket stream(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(120_000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends the bytes through host:port to the sink and waits for its count: nanoseconds. */
    private static long streamTime(String host, int port, long bytes) throws IOException {
        byte[] buf = new byte[256 * 1024];
        try (Socket s = stream(host, port)) {
            long t0 = System.nanoTime();
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeLong(bytes); // the sink answers after that many bytes (no half-close needed)
            for (long sent = 0; sent < bytes; sent += buf.length) {
                out.write(buf, 0, (int) Math.min(buf.length, bytes - sent));
            }
            out.flush();
            long got = new DataInputStream(s.getInputStream()).readLong();
            long t = System.nanoTime() - t0;
            if (got != bytes) {
                throw new IOException("sink received " + got + " of " + bytes + " bytes");
            }
            return t;
        }
    }

    /** Asks the sink through host:port for the bytes and reads them all: nanoseconds. */
    private static long downloadTime(String host, int port, long bytes) throws IOException {
        byte[] buf = new byte[256 * 1024];
        try (Socket s = stream(host, port)) {
            long t0 = System.nanoTime();
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeLong(-bytes);
            out.flush();
            InputStream in = s.getInputStream();
            long got = 0;
            int n;
            while (got < bytes && (n = in.read(buf)) >= 0) {
                got += n;
            }
            long t = System.nanoTime() - t0;
            if (got != bytes) {
                throw new IOException("received " + got + " of " + bytes + " bytes");
            }
            return t;
        }
    }

    private static long parallelTime(String host, int port, int streams, long each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Callable<Long>> jobs = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                jobs.add(() -> streamTime(host, port, each));
            }
            long t0 = System.nanoTime();
            for (Future<Long> f : pool.invokeAll(jobs)) {
                f.get();
            }
            return System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Request/response of {@code size} bytes through an echo mapping: p50 and p99 in nanoseconds. */
    private static long[] rtt(String host, int port, int size, int n) throws IOException {
        byte[] req = new byte[size];
        byte[] resp = new byte[size];
        long[] times = new long[n];
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < n / 10; i++) { // warm-up
                out.write(req);
                in.readFully(resp);
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                out.write(req);
                in.readFully(resp);
                times[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(times);
        return new long[] { times[n / 2], times[(int) (n * 0.99)] };
    }

    private static String[] tunnelCfg(String name, OpenSsh sshd, String user, String... mappings) {
        return tunnelCfg(name, sshd.port(), sshd, user, mappings);
    }

    /** A tunnel to sshd through {@code port} (sshd's own, or a relay's in front of it). */
    private static String[] tunnelCfg(String name, int port, OpenSsh sshd, String user, String... mappings) {
        return new String[] { "name = " + name, "server.host = 127.0.0.1", "server.port = " + port, "username = " + user,
            "private.key.path = " + sshd.clientKey(), "mappings = " + String.join(", ", mappings) };
    }

    private static Process ssh(OpenSsh sshd, String user, String cipher, String... forwards) throws IOException {
        return ssh(sshd.port(), sshd, user, cipher, forwards);
    }

    private static Process ssh(int port, OpenSsh sshd, String user, String cipher, String... forwards) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-N", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "ExitOnForwardFailure=yes", "-o", "LogLevel=ERROR", "-i",
                sshd.clientKey().toString(), "-p", Integer.toString(port)));
        if (cipher != null) {
            cmd.add("-c");
            cmd.add(cipher);
        }
        cmd.addAll(List.of(forwards));
        cmd.add(user + "@127.0.0.1");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    // ---- reporting ----------------------------------------------------------------------------------

    private void header(OpenSsh sshd) throws Exception {
        String version = run("ssh", "-V").trim();
        notes.append(String.format(Locale.ROOT, "- %s, %d cores, Java %s, %s; sshd %s on 127.0.0.1; %d MiB per stream, median of %d runs after one warm-up.%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), version, payloadMiB, reps));
    }

    private void row(String what, String unit, boolean higherIsBetter, double ours, double theirs) {
        // no ratio against nothing: 10 idle ssh processes can use less CPU than /proc counts (10 ms)
        String ratio = Double.isNaN(theirs) || theirs <= 0 ? "" : String.format(Locale.ROOT, "%.2f×", ours / theirs);
        String r = String.format(Locale.ROOT, "| %s | %s | %s | %s |", what, fmt(ours, unit), Double.isNaN(theirs) ? "—" : fmt(theirs, unit), ratio);
        rows.add(new String[] { r });
        System.out.println(r);
    }

    private static String fmt(double v, String unit) {
        String n = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }

    private void write() throws IOException {
        StringBuilder b = new StringBuilder("| measure | sshtunnel | OpenSSH | ratio |\n|---|---|---|---|\n");
        for (String[] r : rows) {
            b.append(r[0]).append('\n');
        }
        b.append('\n').append(notes);
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, b.toString());
        System.out.println();
        System.out.println(b);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /**
     * Reads the announced number of bytes, counts what arrives and answers with the count; for a
     * negative number, sends that many bytes back instead (a download).
     */
    static final class Sink implements AutoCloseable {
        private final TestServer server;
        /** Bytes sent to downloads so far. */
        final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

        Sink() throws IOException {
            server = new TestServer("bench-sink", this::drain);
        }

        int port() {
            return server.port();
        }

        private void drain(Socket s) throws IOException {
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            long expected = new DataInputStream(in).readLong();
            if (expected < 0) {
                for (long done = 0; done < -expected; done += buf.length) {
                    int n = (int) Math.min(buf.length, -expected - done);
                    out.write(buf, 0, n);
                    sent.addAndGet(n);
                }
                out.flush();
                return;
            }
            int n;
            while (total < expected && (n = in.read(buf, 0, (int) Math.min(buf.length, expected - total))) >= 0) {
                total += n;
            }
            new java.io.DataOutputStream(out).writeLong(total);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
