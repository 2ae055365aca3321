package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.TunnelSpec;

class ViaChainsTest {
    private static TunnelSpec tunnel(String name, String via, boolean enabled) {
        return TunnelSpec.builder("io.sshtunnel.tunnel~" + name, name).server("h", 22).username("u").via(via).enabled(enabled).build();
    }

    private static Map<String, TunnelSpec> all(TunnelSpec... specs) {
        return ViaChains.byName(List.of(specs));
    }

    @Test
    void aChainToAnEnabledTunnelIsFine() {
        TunnelSpec web = tunnel("web", "bastion", true);
        assertNull(ViaChains.chain(web, all(web, tunnel("bastion", "edge", true), tunnel("edge", null, true)), Locale.ENGLISH));
        assertNull(ViaChains.chain(tunnel("direct", null, true), all(), Locale.ENGLISH));
    }

    @Test
    void anUnknownNameALoopAndADisabledHopAreSaidWithTheChain() {
        TunnelSpec web = tunnel("web", "bastion", true);
        Finding unknown = ViaChains.chain(web, all(web), Locale.ENGLISH);
        assertEquals(FindingCodes.VIA_UNKNOWN, unknown.code());
        assertEquals("via", unknown.property());
        assertTrue(unknown.message().startsWith("via \"bastion\": there is no tunnel named \"bastion\""), unknown.message());
        assertTrue(unknown.message().contains("(chain web \u2192 bastion)"), unknown.message());

        Finding loop = ViaChains.chain(web, all(web, tunnel("bastion", "edge", true), tunnel("edge", "web", true)), Locale.ENGLISH);
        assertEquals(FindingCodes.VIA_LOOP, loop.code());
        assertTrue(loop.message().contains("web \u2192 bastion \u2192 edge \u2192 web"), loop.message());
        Finding self = ViaChains.chain(tunnel("me", "me", true), all(tunnel("me", "me", true)), Locale.ENGLISH);
        assertEquals(FindingCodes.VIA_LOOP, self.code());

        Finding disabled = ViaChains.chain(web, all(web, tunnel("bastion", "edge", true), tunnel("edge", null, false)), Locale.GERMAN);
        assertEquals(FindingCodes.VIA_DISABLED, disabled.code());
        assertTrue(disabled.message().contains("Tunnel \"edge\" der Kette web \u2192 bastion \u2192 edge ist deaktiviert"),
                disabled.message());
    }

    @Test
    void aJumpHostNeedsNoMappingsOfItsOwn() {
        Finding missing = Finding.error(FindingCodes.REQUIRED, "mappings", "mappings has no usable entry");
        TunnelSpec bastion = tunnel("bastion", null, true);
        TunnelSpec web = tunnel("web", "bastion", true);
        assertEquals(List.of(), ViaChains.checked(bastion, List.of(missing), all(bastion, web), ViaChains.hops(List.of(bastion, web)),
                Locale.ENGLISH));
        assertEquals(List.of(missing), ViaChains.checked(bastion, List.of(missing), all(bastion), ViaChains.hops(List.of(bastion)),
                Locale.ENGLISH));
    }
}
