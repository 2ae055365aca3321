package io.sshtunnel.itest;

import java.nio.file.Path;

/**
 * What the tests that run the product as a process (the assembly, Karaf) need beside it: a work
 * folder of their own, a real OpenSSH sshd on 127.0.0.1 and an echo server, closed together.
 */
final class OutsideServers implements AutoCloseable {
    final Path work;
    final OpenSsh sshd;
    final EchoServer echo;

    private OutsideServers(Path work, OpenSsh sshd, EchoServer echo) {
        this.work = work;
        this.sshd = sshd;
        this.echo = echo;
    }

    /** Starts them in a new folder {@code name-N} under {@code itest.work}; skips the test where sshd is missing. */
    static OutsideServers start(String name) throws Exception {
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        Path work = Path.of(System.getProperty("itest.work", "target/itest-work"), name + "-" + System.nanoTime()).toAbsolutePath();
        OpenSsh sshd = OpenSsh.start(work.resolve("sshd"), null);
        try {
            return new OutsideServers(work, sshd, new EchoServer());
        } catch (java.io.IOException e) {
            sshd.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            echo.close();
        } finally {
            sshd.close();
        }
    }
}
