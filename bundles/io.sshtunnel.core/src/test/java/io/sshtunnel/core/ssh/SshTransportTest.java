package io.sshtunnel.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared client is configured for us, not for an interactive user. */
class SshTransportTest {
    private SshTransport transport;
    private SshClient client;

    @BeforeEach
    void start() {
        transport = SshTransport.start();
        client = transport.client();
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private static List<String> names(List<? extends NamedResource> factories) {
        return factories.stream().map(NamedResource::getName).collect(Collectors.toList());
    }

    @Test
    void offersOnlyTheHardenedAlgorithmsWithAesGcmFirst() {
        List<String> ciphers = names(client.getCipherFactories());
        assertEquals("aes128-gcm@openssh.com", ciphers.get(0), ciphers.toString());
        assertTrue(ciphers.contains("chacha20-poly1305@openssh.com"), ciphers.toString());
        assertTrue(ciphers.stream().noneMatch(c -> c.contains("cbc") || c.contains("arcfour") || c.contains("3des")), ciphers.toString());

        List<String> macs = names(client.getMacFactories());
        assertTrue(macs.stream().allMatch(m -> m.contains("-etm@openssh.com") && m.contains("sha2")), macs.toString());

        List<String> kex = names(client.getKeyExchangeFactories());
        assertTrue(kex.contains("curve25519-sha256"), kex.toString());
        assertTrue(kex.stream().noneMatch(k -> k.contains("sha1") || k.startsWith("diffie-hellman-group")), kex.toString());

        List<String> signatures = names(client.getSignatureFactories());
        assertTrue(signatures.contains("ssh-ed25519") && signatures.contains("rsa-sha2-512"), signatures.toString());
        assertFalse(signatures.contains("ssh-rsa"), "no SHA-1 RSA signatures: " + signatures);
        assertFalse(signatures.contains("ssh-dss"), signatures.toString());
    }

    @Test
    void theCipherOrderCanBeChosenFromTheHardenedListOnly() {
        assertEquals(List.of("chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"),
                names(SshTransport.ciphers(List.of("chacha20-poly1305@openssh.com", "aes128-cbc", " aes256-gcm@openssh.com"))));
        assertEquals(names(SshTransport.CIPHERS), names(SshTransport.ciphers(List.of("aes128-cbc"))), "unknown names: the default order");
    }

    @Test
    void socketsWithoutDelayAndNoIdleTimeoutTheKeepaliveDecides() {
        assertEquals(Boolean.TRUE, CoreModuleProperties.TCP_NODELAY.getRequired(client));
        assertEquals(Duration.ZERO, CoreModuleProperties.IDLE_TIMEOUT.getRequired(client));
        assertEquals(Duration.ZERO, CoreModuleProperties.HEARTBEAT_INTERVAL.getRequired(client));
    }

    @Test
    void neverUsesTheUsersSshConfigOrKeys() {
        assertEquals(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY, client.getHostConfigEntryResolver());
        assertEquals(org.apache.sshd.common.keyprovider.KeyIdentityProvider.EMPTY_KEYS_PROVIDER, client.getKeyIdentityProvider());
    }
}
