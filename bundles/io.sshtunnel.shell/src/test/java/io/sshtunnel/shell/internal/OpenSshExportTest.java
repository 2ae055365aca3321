package io.sshtunnel.shell.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;

class OpenSshExportTest {
    private static TunnelSpec.Builder tunnel(String name, String host, int port, String... mappings) {
        return TunnelSpec.builder("io.sshtunnel.tunnel~" + name, name).server(host, port).username("svc")
                .mappings(Stream.of(mappings).map(PortMapping::parse).collect(Collectors.toList())).keepaliveSeconds(5)
                .connectTimeoutSeconds(15);
    }

    @Test
    void aTunnelThroughAJumpHostIsTwoHostBlocksAndOneCommandLine() {
        TunnelSpec bastion = tunnel("bastion", "bastion.example", 22).privateKeyPath("/etc/sshtunnel/bastion_ed25519").build();
        TunnelSpec far = tunnel("far", "10.1.2.3", 8822, "L 1389:dc1.corp.local:389 # LDAP", "R *:9100:localhost:9100", "D *:1080")
                .privateKeyPath("/etc/sshtunnel/id_ed25519").fingerprint("SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE")
                .passwordSet(true).via("bastion").build();
        String out = OpenSshExport.export(far, Map.of("bastion", bastion)::get);
        assertTrue(out.indexOf("Host bastion") < out.indexOf("Host far"), out);
        for (String line : List.of("    HostName 10.1.2.3", "    Port 8822", "    User svc", "    IdentityFile /etc/sshtunnel/id_ed25519",
                "    ProxyJump bastion", "    LocalForward 127.0.0.1:1389 dc1.corp.local:389", "    RemoteForward *:9100 localhost:9100",
                "    DynamicForward *:1080", "    GatewayPorts yes", "    ServerAliveInterval 5", "    ConnectTimeout 15")) {
            assertTrue(out.contains(line + "\n"), line + " in\n" + out);
        }
        assertTrue(out.contains("SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE"), out);
        assertTrue(out.contains("ssh -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -p 8822"
                + " -i /etc/sshtunnel/id_ed25519 -J svc@bastion.example:22 -L 127.0.0.1:1389:dc1.corp.local:389"
                + " -R *:9100:localhost:9100 -D *:1080 -g svc@10.1.2.3"), out);
        // the spec holds no secret: a password is only said to exist, for OpenSSH to ask for
        assertTrue(out.contains("logs in with a password too: OpenSSH asks for it"), out);
    }

    @Test
    void aProxyIsANetcatProxyCommand() {
        TunnelSpec s = tunnel("p", "ssh.example", 22, "L 1433:sql:1433").proxy("http://proxy.corp.local:3128", "tunnel", true).build();
        String out = OpenSshExport.export(s, name -> null);
        assertTrue(out.contains("    ProxyCommand nc -X connect -x proxy.corp.local:3128 -P tunnel %h %p\n"), out);
        assertTrue(out.contains("-o \"ProxyCommand=nc -X connect -x proxy.corp.local:3128 -P tunnel %h %p\""), out);
    }
}
