package io.sshtunnel.itest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A target on 127.0.0.1 for half-close tests, in one of two manners:
 * <ul>
 * <li>{@link #answeringAfterEof()}: reads a request until the client shuts down its sending side,
 * then answers with the request reversed and closes (as {@code nc -N} clients, HTTP/1.0 and
 * backup protocols expect);</li>
 * <li>{@link #speakingFirst(byte[])}: sends its greeting, shuts down its own sending side, then
 * reads the client's reply until the client closes, and records it.</li>
 * </ul>
 */
final class HalfCloseServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "itest-halfclose");
        t.setDaemon(true);
        return t;
    });
    private final byte[] greeting;
    /** What clients sent to a server that speaks first. */
    private final LinkedBlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();

    private HalfCloseServer(byte[] greeting) throws IOException {
        this.greeting = greeting;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    static HalfCloseServer answeringAfterEof() throws IOException {
        return new HalfCloseServer(null);
    }

    static HalfCloseServer speakingFirst(byte[] greeting) throws IOException {
        return new HalfCloseServer(greeting);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next reply a client sent to a server that speaks first, or null after {@code seconds}. */
    byte[] reply(int seconds) throws InterruptedException {
        return replies.poll(seconds, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            s.setSoTimeout(30_000);
            if (greeting == null) {
                byte[] request = in.readAllBytes(); // until the client's EOF
                byte[] answer = new byte[request.length];
                for (int i = 0; i < request.length; i++) {
                    answer[i] = request[request.length - 1 - i];
                }
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
            } else {
                s.getOutputStream().write(greeting);
                s.getOutputStream().flush();
                s.shutdownOutput();
                replies.add(in.readAllBytes());
            }
        } catch (IOException e) {
            // the client went away: what it got shows in the test
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
