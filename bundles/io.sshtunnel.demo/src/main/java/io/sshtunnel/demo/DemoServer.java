package io.sshtunnel.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.common.ContextLoader;
import io.sshtunnel.api.TunnelConstants;

/**
 * The demo: when the framework property {@code sshtunnel.demo} is {@code true}, runs an SSH server
 * on 127.0.0.1 (port {@code sshtunnel.demo.ssh.port}, default 2222) that accepts a password made
 * at random on each start, two stand-in services (the customer's, behind the SSH server, and this
 * machine's), and a tunnel "demo" with every kind of mapping: {@code L} to this container's Web
 * Console and to the customer's service, {@code L} gateway to the customer's service, {@code R}
 * and {@code R} gateway to this machine's service. The gateways listen on every address, as
 * gateways do, and lead only to the stand-ins' one line of text.
 */
@Component(immediate = true)
public final class DemoServer {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    static final String NAME = "demo";

    private final SshServer server;
    private final DemoService customer;
    private final DemoService local;

    @Activate
    public DemoServer(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws IOException {
        if (!Boolean.parseBoolean(context.getProperty("sshtunnel.demo"))) {
            LOG.info("Demo off (start with -Dsshtunnel.demo=true for an embedded SSH server and a demo tunnel)");
            server = null;
            customer = null;
            local = null;
            return;
        }
        int sshPort = intProperty(context, "sshtunnel.demo.ssh.port", 2222);
        int httpPort = intProperty(context, "org.osgi.service.http.port", 8080);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        customer = new DemoService("customer", "the customer's intranet service, behind the SSH server (reached through an L mapping)");
        local = new DemoService("local", "this machine's service (reached from the SSH server's side through an R mapping)");
        Path hostKey = context.getDataFile("demo-hostkey.ser").toPath();
        server = ContextLoader.call(SshServer.class.getClassLoader(), () -> startServer(sshPort, hostKey, password));
        LOG.info("Demo SSH server listening on 127.0.0.1:{}", sshPort);

        Configuration c = configAdmin.getFactoryConfiguration(TunnelConstants.FACTORY_PID, NAME, "?");
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put(TunnelConstants.NAME, NAME);
        props.put(TunnelConstants.SERVER_HOST, "127.0.0.1");
        props.put(TunnelConstants.SERVER_PORT, sshPort);
        props.put(TunnelConstants.USERNAME, NAME);
        props.put(TunnelConstants.PASSWORD, password);
        int base = httpPort + 10000;
        props.put(TunnelConstants.MAPPINGS, new String[] {
            "L " + base + ":localhost:" + httpPort + " # this container's Web Console, reached through the SSH server",
            "R " + (base + 1) + ":localhost:" + httpPort + " # the SSH server's port leading back to the Web Console",
            "L " + (base + 2) + ":localhost:" + customer.port() + " # the customer's service, for this machine only",
            "L *:" + (base + 3) + ":localhost:" + customer.port() + " # the customer's service, for every host that reaches this machine",
            "R " + (base + 4) + ":localhost:" + local.port() + " # this machine's service, for the SSH server only",
            "R *:" + (base + 5) + ":localhost:" + local.port() + " # this machine's service, for every host that reaches the SSH server" });
        c.update(props);
        LOG.info("Demo tunnel \"{}\": open http://127.0.0.1:{}/system/console/ (admin/admin) through the tunnel; curl"
                + " http://127.0.0.1:{}/ (L), :{} (L gateway), :{} (R), :{} (R gateway)", NAME, base, base + 2, base + 3, base + 4,
                base + 5);
    }

    private static int intProperty(BundleContext context, String key, int dflt) {
        String v = context.getProperty(key);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            LOG.warn("{}={} is not a port number; using {}", key, v, dflt);
            return dflt;
        }
    }

    private static SshServer startServer(int sshPort, Path hostKey, String password) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(sshPort);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        server.setPasswordAuthenticator((user, pw, session) -> NAME.equals(user) && password.equals(pw));
        server.setForwardingFilter(new LoopbackOnly());
        // without it every small packet waits for the peer's delayed ACK (40 ms on Linux)
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(server, Boolean.TRUE);
        server.start();
        return server;
    }

    @Deactivate
    void deactivate() throws IOException {
        if (server != null) {
            server.stop(true);
            customer.close();
            local.close();
        }
    }

    /** The demo server forwards only to and from loopback. */
    private static final class LoopbackOnly implements org.apache.sshd.server.forward.ForwardingFilter {
        @Override
        public boolean canForwardAgent(org.apache.sshd.common.session.Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canForwardX11(org.apache.sshd.common.session.Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canListen(SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
            // loopback, and every address for the demo's R gateway (GatewayPorts clientspecified in OpenSSH's words)
            String host = address.getHostName();
            return PortMapping.isLoopback(host) || "0.0.0.0".equals(host) || "*".equals(host) || host.isEmpty();
        }

        @Override
        public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address,
                org.apache.sshd.common.session.Session session) {
            return PortMapping.isLoopback(address.getHostName());
        }
    }

}
