package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.sshtunnel.api.TunnelState;

/**
 * Soak: 10 L and 10 R mappings to a real sshd carry traffic continuously while a fault strikes
 * every minute (sshd killed and restarted, a black hole, a reset of the path). Every fault must be
 * recovered from, no byte may arrive changed, and threads and heap must not trend upwards.
 * {@code -Dsoak.minutes=N} sets the duration (10 in CI; longer by hand).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT extends OpenSshTestSupport {
    @Test
    public void twentyMappingsSurviveAFaultEveryMinute() throws Exception {
        int minutes = Integer.getInteger("soak.minutes", 10);
        startServers("ClientAliveInterval 1\nClientAliveCountMax 2");
        try (FreezableProxy path = new FreezableProxy(sshd.port())) {
            List<Integer> ports = new ArrayList<>();
            List<String> mappings = new ArrayList<>();
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                int p = Net.freeStablePort();
                while (!used.add(p)) {
                    p = Net.freeStablePort();
                }
                ports.add(p);
                mappings.add((i < 10 ? "L " : "R ") + p + ":127.0.0.1:" + echo.port());
            }
            create("soak", keyTunnel("soak", path.port(), mappings.toArray(new String[0])));
            awaitState("soak", TunnelState.UP);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong ok = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong corrupted = new AtomicLong();
            ExecutorService traffic = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                traffic.execute(() -> {
                    byte[] sent = new byte[16 * 1024];
                    byte[] got = new byte[sent.length];
                    while (running.get()) {
                        int port = ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
                        ThreadLocalRandom.current().nextBytes(sent);
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                            s.setSoTimeout(5000);
                            s.getOutputStream().write(sent);
                            new DataInputStream(s.getInputStream()).readFully(got);
                            if (Arrays.equals(sent, got)) {
                                ok.incrementAndGet();
                            } else {
                                corrupted.incrementAndGet();
                            }
                        } catch (IOException e) {
                            refused.incrementAndGet(); // expected while a fault lasts
                        }
                    }
                });
            }
            long[] threads = new long[minutes + 1];
            long[] heap = new long[minutes + 1];
            threads[0] = threadsButEventAdmins();
            heap[0] = usedHeapAfterGc();
            long worstRecovery = 0;
            try {
                for (int minute = 1; minute <= minutes; minute++) {
                    Await.letTimePass("traffic between faults", Duration.ofSeconds(40));
                    long struck = System.nanoTime();
                    String fault;
                    switch (minute % 3) {
                        case 1:
                            fault = "sshd killed and restarted";
                            sshd.kill();
                            awaitState("soak", TunnelState.RETRYING, Duration.ofSeconds(20));
                            sshd.start();
                            break;
                        case 2:
                            fault = "black hole";
                            path.freezeExisting();
                            awaitState("soak", TunnelState.RETRYING, Duration.ofSeconds(20));
                            break;
                        default:
                            fault = "path reset";
                            path.closeExisting();
                            awaitState("soak", TunnelState.RETRYING, Duration.ofSeconds(20));
                            break;
                    }
                    String what = fault;
                    int m = minute;
                    Await.until(() -> "soak UP again after " + what + " in minute " + m + " (now " + status("soak").map(t -> t + " "
                            + t.mappings()).orElse("absent") + ")", Duration.ofSeconds(60),
                            () -> status("soak").filter(s -> s.state() == TunnelState.UP).isPresent());
                    long recovery = (System.nanoTime() - struck) / 1_000_000;
                    worstRecovery = Math.max(worstRecovery, recovery);
                    Figures.record("soak", "minute " + minute + ": " + fault + " → UP", recovery + " ms");
                    Await.letTimePass("the rest of the minute", Duration.ofSeconds(Math.max(1, 15 - recovery / 1000)));
                    threads[minute] = threadsButEventAdmins();
                    heap[minute] = usedHeapAfterGc();
                }
            } finally {
                running.set(false);
                traffic.shutdown();
                traffic.awaitTermination(30, TimeUnit.SECONDS);
            }
            Figures.record("soak", minutes + " min: exchanges ok / refused during faults / corrupted",
                    ok.get() + " / " + refused.get() + " / " + corrupted.get());
            Figures.record("soak", minutes + " min: threads (all but Event Admin's pool) first → last minute",
                    threads[1] + " → " + threads[minutes]);
            Figures.record("soak", minutes + " min: heap after GC first → last minute", heap[1] / 1024 / 1024 + " → "
                    + heap[minutes] / 1024 / 1024 + " MiB");
            assertEquals("no byte arrived changed", 0, corrupted.get());
            assertTrue("traffic flowed: " + ok.get(), ok.get() > minutes * 100L);
            assertTrue("threads trend upwards: " + Arrays.toString(threads), threads[minutes] <= threads[1] + 20);
            assertTrue("heap trends upwards: " + Arrays.toString(heap), heap[minutes] <= heap[1] + 64L * 1024 * 1024);
            for (int p : ports) {
                Net.assertEchoes("127.0.0.1", p, 100);
            }
        }
    }

    /**
     * Every thread of the JVM but Event Admin's delivery pool, which grows with the load up to its fixed
     * size (20): a leak is what remains.
     */
    private static long threadsButEventAdmins() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().startsWith("EventAdminThread")).count();
    }

    /** The least of three readings right after a collection: traffic keeps allocating meanwhile. */
    private static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
