package io.sshtunnel.itest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server for the tests and the benchmark, on 127.0.0.1 (or every interface): each accepted
 * connection is served on a daemon thread of its own and closed when served. Closing the server
 * closes its listener and every connection still open, which ends their threads.
 */
final class TestServer implements AutoCloseable {
    /** What a server does with one connection; the connection is closed after it returns. */
    interface Handler {
        void serve(Socket s) throws IOException;
    }

    private final ServerSocket socket = new ServerSocket();
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Handler handler;

    /** Listens on 127.0.0.1 with a backlog of 256 (many clients may connect at once). */
    TestServer(String threadName, Handler handler) throws IOException {
        this(threadName, false, handler);
    }

    TestServer(String threadName, boolean anyInterface, Handler handler) throws IOException {
        this.handler = handler;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        socket.bind(new InetSocketAddress(anyInterface ? null : InetAddress.getLoopbackAddress(), 0), 256);
        threads.execute(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                open.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            handler.serve(s);
        } catch (IOException e) {
            // the client went away, or the server closed: what arrived shows in the test
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
        threads.shutdownNow();
    }
}
