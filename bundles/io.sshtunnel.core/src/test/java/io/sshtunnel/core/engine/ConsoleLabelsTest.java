package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleLabelsTest {
    final FakeRegistry services = new FakeRegistry();
    final ConsoleLabels labels = new ConsoleLabels();

    @Test
    void theLabelIsNameAndServer() {
        assertEquals("customer-ad \u2192 ssh.customer.example",
                ConsoleLabels.label(Map.of("name", "customer-ad", "server.host", "ssh.customer.example"), "p~x"));
        assertEquals("x \u2192 ", ConsoleLabels.label(Map.of(), "io.sshtunnel.tunnel~x"), "the configuration's name when none is set");
    }

    @Test
    void aHugeValueIsCappedAndNothingIsLeftForTheConsoleToFillIn() {
        String label = ConsoleLabels.label(Map.of("name", "{password}", "server.host", "h".repeat(10_000_000)), "p");
        assertTrue(label.length() < 200, label.length() + " characters");
        assertTrue(label.endsWith("\u2026"));
        assertFalse(label.contains("{") || label.contains("}"), label);
    }

    @Test
    void oneMarkerServicePerConfigurationWithTheLabelAndNoSecret() {
        labels.show(services.context, "io.sshtunnel.tunnel~ad", Map.of("name", "ad", "server.host", "h", "password", "Winter2025!"));
        labels.show(services.context, "io.sshtunnel.tunnel~ad", Map.of("name", "ad", "server.host", "h2", "password", "Winter2025!"));

        FakeRegistry.Reg r = services.live(ConsoleLabels.Label.class).get(0);
        assertEquals(1, services.live(ConsoleLabels.Label.class).size());
        assertEquals("io.sshtunnel.tunnel~ad", r.get("service.pid"));
        assertEquals("ad \u2192 h2", r.get(ConsoleLabels.NAME_HINT));
        assertFalse(r.toString().contains("Winter2025!"), r.toString());

        labels.remove("io.sshtunnel.tunnel~ad");
        assertEquals(0, services.live(ConsoleLabels.Label.class).size());
    }
}
