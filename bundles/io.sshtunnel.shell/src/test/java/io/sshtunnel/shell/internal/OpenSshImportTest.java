package io.sshtunnel.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelRequest;

class OpenSshImportTest {
    private static final String CONFIG = String.join("\n",
            "Host *",
            "    ServerAliveInterval 30",
            "Host bastion",
            "    HostName bastion.example",
            "    User jump",
            "Host customer",
            "    HostName ssh.customer.example",
            "    Port 8822",
            "    User svc-tunnel",
            "    IdentityFile /etc/sshtunnel/id_ed25519",
            "    LocalForward 1389 dc1.corp.local:389",
            "    LocalForward 127.0.0.1:1433 sql.corp.local:1433",
            "    RemoteForward 9100 localhost:9100",
            "    DynamicForward 1080",
            "    ProxyJump bastion",
            "    ServerAliveInterval 5",
            "    ConnectTimeout 20",
            "    Compression yes",
            "    ForwardAgent yes",
            "");

    @Test
    void aHostBlockIsATunnelAndEveryOptionNotTakenIsSaid() throws Exception {
        List<OpenSshImport.Imported> all = OpenSshImport.read(CONFIG, List.of());
        assertEquals(List.of("bastion", "customer"), all.stream().map(i -> i.host).collect(Collectors.toList()), "Host * is no tunnel");
        OpenSshImport.Imported c = OpenSshImport.read(CONFIG, List.of("customer")).get(0);
        TunnelRequest r = c.request;
        assertEquals("ssh.customer.example", r.serverHost());
        assertEquals(8822, r.serverPort());
        assertEquals("svc-tunnel", r.username());
        assertEquals("/etc/sshtunnel/id_ed25519", r.privateKeyPath());
        assertEquals("bastion", r.via());
        assertEquals(5, r.keepaliveSeconds());
        assertEquals(20, r.connectTimeoutSeconds());
        assertEquals(List.of("L 1389:dc1.corp.local:389", "L 127.0.0.1:1433:sql.corp.local:1433", "R 9100:localhost:9100", "D 1080"),
                r.mappings().stream().map(PortMapping::format).collect(Collectors.toList()));
        assertTrue(c.notTaken.stream().anyMatch(n -> n.startsWith("Compression yes")), c.notTaken.toString());
        assertTrue(c.notTaken.stream().anyMatch(n -> n.startsWith("ForwardAgent yes")), c.notTaken.toString());
    }

    @Test
    void gatewayPortsOpensTheLocalPortsWithoutAnAddressAndAJumpWithAUserIsNotTaken() throws Exception {
        OpenSshImport.Imported g = OpenSshImport.read(String.join("\n", "Host g", "    HostName h", "    User u",
                "    GatewayPorts yes", "    LocalForward 1712 metadir:1712", "    DynamicForward 1080",
                "    ProxyJump admin@bastion.example:2222", ""), List.of()).get(0);
        assertEquals(List.of("L *:1712:metadir:1712", "D *:1080"),
                g.request.mappings().stream().map(PortMapping::format).collect(Collectors.toList()));
        assertEquals(null, g.request.via());
        assertTrue(g.notTaken.stream().anyMatch(n -> n.startsWith("ProxyJump admin@bastion.example:2222")), g.notTaken.toString());
    }
}
