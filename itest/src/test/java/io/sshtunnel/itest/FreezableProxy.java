package io.sshtunnel.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 that can turn into a black hole: frozen connections stay open but pass
 * no byte either way (no FIN, no RST), as behind a dead NAT or a pulled cable.
 * {@link #freeze()} freezes everything, new connections included; {@link #freezeExisting()} only
 * the connections open now, so that a reconnect finds a working path while the server still
 * holds the old session.
 */
public final class FreezableProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final int target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "itest-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final Set<Socket> dangling = ConcurrentHashMap.newKeySet();
    private volatile boolean frozen;
    /** Bytes per second towards the client (the connecting side), 0 for no limit. */
    private volatile long downRate;
    /** Nanoseconds each byte takes through the proxy, each way, for connections made from now on. */
    private volatile long delay;

    /** One proxied connection: both sockets and whether it is frozen. */
    private final class Pair {
        final Socket in;
        final Socket out;
        volatile boolean frozen;

        Pair(Socket in, Socket out) {
            this.in = in;
            this.out = out;
        }

        synchronized void thaw() {
            frozen = false;
            notifyAll();
        }

        synchronized void awaitFlowing() throws InterruptedException {
            while (frozen) {
                wait();
            }
        }

        void close() {
            pairs.remove(this);
            thaw();
            quietly(in);
            quietly(out);
        }
    }

    public FreezableProxy(int targetPort) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), targetPort);
    }

    /** A proxy listening at {@code listen} (e.g. another loopback address, 127.0.0.2, and a chosen port). */
    public FreezableProxy(InetSocketAddress listen, int targetPort) throws IOException {
        this.target = targetPort;
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(listen);
        threads.execute(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** From now on no byte passes on any connection, and new connections get no answer. */
    public void freeze() {
        frozen = true;
        freezeExisting();
    }

    /** The connections open now pass no byte any more; new connections work. */
    public void freezeExisting() {
        for (Pair p : pairs) {
            p.frozen = true;
        }
    }

    /** Bytes flow again on every connection; new connections are passed on. */
    public void thaw() {
        frozen = false;
        for (Pair p : pairs) {
            p.thaw();
        }
    }

    /**
     * Limits the bytes per second towards the client (what the server sends) on every connection,
     * 0 for none: a slow, saturated downlink. The proxy reads only as fast as it passes bytes on, so
     * the server's buffers fill and whatever it sends next waits behind them, as on a real link.
     */
    public void throttleDown(long bytesPerSecond) {
        downRate = bytesPerSecond;
    }

    /**
     * Makes new connections a long path: every byte arrives {@code oneWay} after it was sent, in
     * both directions (a round trip of twice that), at whatever rate the ends manage.
     */
    public FreezableProxy delay(java.time.Duration oneWay) {
        delay = oneWay.toNanos();
        return this;
    }

    /** Closes every connection open now (both ends see the close), as when a path heals with a reset. */
    public void closeExisting() {
        for (Pair p : pairs) {
            p.close();
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket in = socket.accept();
                if (frozen) {
                    dangling.add(in); // a black hole answers nothing
                    continue;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException refused) {
                    quietly(in); // the server is down: so is the path through us
                    continue;
                }
                Pair p = new Pair(in, out);
                pairs.add(p);
                long d = delay;
                if (d > 0) {
                    delayLine(p, p.in, p.out, d);
                    delayLine(p, p.out, p.in, d);
                } else {
                    threads.execute(() -> pump(p, p.in, p.out));
                    threads.execute(() -> pump(p, p.out, p.in));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Pair p, Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            long paced = System.nanoTime(); // throttled: when the bytes passed so far may have gone
            while ((n = in.read(buf, 0, to == p.in && downRate > 0 ? 4096 : buf.length)) >= 0) {
                p.awaitFlowing(); // a frozen connection holds the bytes: nothing reaches the other side
                long rate = downRate;
                if (to == p.in && rate > 0) {
                    // pacing a link, not waiting for a condition: each read's bytes leave when the rate allows
                    paced = Math.max(paced, System.nanoTime() - 100_000_000L) + n * 1_000_000_000L / rate;
                    for (long wait = paced - System.nanoTime(); wait > 0; wait = paced - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            if (!p.frozen) {
                p.close();
            }
        }
    }

    /** One direction of a delayed connection: a reader that stamps each chunk, a writer that holds it until due. */
    private void delayLine(Pair p, Socket from, Socket to, long delayNanos) {
        java.util.concurrent.BlockingQueue<Object[]> line = new java.util.concurrent.LinkedBlockingQueue<>();
        byte[] end = new byte[0];
        threads.execute(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    line.add(new Object[] { System.nanoTime() + delayNanos, java.util.Arrays.copyOf(buf, n) });
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                line.add(new Object[] { System.nanoTime() + delayNanos, end });
            }
        });
        threads.execute(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = line.take();
                    // a path's latency, not a wait for a condition: the chunk leaves when it is due
                    for (long wait = (long) chunk[0] - System.nanoTime(); wait > 0; wait = (long) chunk[0] - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    if (chunk[1] == end) {
                        break;
                    }
                    out.write((byte[]) chunk[1]);
                }
            } catch (IOException | InterruptedException e) {
                // one side went away, or the proxy closed
            } finally {
                p.close();
            }
        });
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        closeExisting();
        for (Socket s : dangling) {
            quietly(s);
        }
        threads.shutdownNow();
    }
}
