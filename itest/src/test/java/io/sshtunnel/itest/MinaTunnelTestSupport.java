package io.sshtunnel.itest;

import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/** A test against the in-process MINA SSH server, with an echo server as the target of the mappings. */
public abstract class MinaTunnelTestSupport extends TunnelTestSupport {
    protected MinaServer server;
    protected EchoServer echo;

    @Configuration
    public Option[] config() {
        return TestOptions.container();
    }

    @Before
    public void startServers() throws Exception {
        server = new MinaServer();
        echo = new EchoServer();
    }

    @After
    public void stopServers() throws Exception {
        echo.close();
        server.close();
    }
}
