package io.sshtunnel.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A TCP echo server on 127.0.0.1 (or every interface) for the tests: what comes in goes back out. */
public final class EchoServer implements AutoCloseable {
    private final TestServer server;

    public EchoServer() throws IOException {
        this(false);
    }

    public EchoServer(boolean anyInterface) throws IOException {
        server = new TestServer("itest-echo", anyInterface, EchoServer::echo);
    }

    public int port() {
        return server.port();
    }

    public int accepted() {
        return server.accepted();
    }

    private static void echo(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
