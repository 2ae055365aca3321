package io.sshtunnel.itest;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
    private final TestServer server;
    private final byte[] greeting;
    /** What clients sent to a server that speaks first. */
    private final LinkedBlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();

    private HalfCloseServer(byte[] greeting) throws IOException {
        this.greeting = greeting;
        server = new TestServer("itest-halfclose", this::serve);
    }

    static HalfCloseServer answeringAfterEof() throws IOException {
        return new HalfCloseServer(null);
    }

    static HalfCloseServer speakingFirst(byte[] greeting) throws IOException {
        return new HalfCloseServer(greeting);
    }

    int port() {
        return server.port();
    }

    /** The next reply a client sent to a server that speaks first, or null after {@code seconds}. */
    byte[] reply(int seconds) throws InterruptedException {
        return replies.poll(seconds, TimeUnit.SECONDS);
    }

    private void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
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
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
