package io.sshtunnel.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in service for the demo on 127.0.0.1 that answers every HTTP request with one line of
 * plain text saying where it runs: "the customer's intranet service" behind the SSH server, or
 * "this machine's service" that the customer's side reaches. {@code curl} through a mapping shows
 * which side it reached. One thread, stopped with {@link #close()}.
 */
final class DemoService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);
    /** Requests are one line of curl's; a longer one is cut off, not read to the end. */
    private static final int MAX_REQUEST = 8192;

    private final ServerSocket socket;
    private final Thread thread;
    private final byte[] answer;

    DemoService(String name, String text) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        String body = text + "\n";
        answer = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        thread = new Thread(this::serve, "sshtunnel-demo-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[1024];
                int total = 0;
                int matched = 0; // of "\r\n\r\n": the end of the request's head
                while (matched < 4 && total < MAX_REQUEST) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n && matched < 4; i++) {
                        matched = buf[i] == "\r\n\r\n".charAt(matched) ? matched + 1 : buf[i] == '\r' ? 1 : 0;
                    }
                    total += n;
                }
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("Demo service request failed", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
