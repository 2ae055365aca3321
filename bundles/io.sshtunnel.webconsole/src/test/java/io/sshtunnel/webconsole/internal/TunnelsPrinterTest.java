package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import org.apache.felix.inventory.Format;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

class TunnelsPrinterTest {
    final TunnelRuntime runtime = mock(TunnelRuntime.class);
    final TunnelsPrinter printer = new TunnelsPrinter(runtime);

    TunnelsPrinterTest() {
        TunnelSpec spec = TunnelSpec.builder("io.sshtunnel.tunnel~ad", "ad").server("ssh.customer.example", 8822).username("svc")
                .passwordSet(true).mappings(List.of(PortMapping.parse("L 1389:dc1.corp.local:389"))).build();
        Instant since = Instant.parse("2026-12-01T10:00:00Z");
        when(runtime.tunnels()).thenReturn(List.of(new TunnelStatus(spec, TunnelState.RETRYING, "connection refused", since,
                since.plusSeconds(20), 3, null,
                List.of(new MappingStatus(0, spec.mappings().get(0), MappingState.PENDING, null, since, null)),
                List.of(Finding.error("REQUIRED", "username", "username is not set")))));
    }

    private String print(Format format) {
        StringWriter out = new StringWriter();
        printer.print(new PrintWriter(out), format, false);
        return out.toString();
    }

    @Test
    void textSaysStateReasonNextTryMappingsAndFindings() {
        String text = print(Format.TEXT);
        assertTrue(text.contains("Tunnel ad (io.sshtunnel.tunnel~ad)"), text);
        assertTrue(text.contains("svc@ssh.customer.example:8822"), text);
        assertTrue(text.contains("RETRYING since 2026-12-01T10:00:00Z (connection refused)"), text);
        assertTrue(text.contains("next try: 2026-12-01T10:00:20Z"), text);
        assertTrue(text.contains("L 1389:dc1.corp.local:389  PENDING"), text);
        assertTrue(text.contains("ERROR REQUIRED: username is not set"), text);
        assertTrue(text.contains("(administrator)"), text);
    }

    @Test
    void jsonIsTheSameShapeAsThePagesJson() {
        JsonObject o = JsonParser.parseString(print(Format.JSON)).getAsJsonObject();
        JsonObject t = o.getAsJsonArray("tunnels").get(0).getAsJsonObject();
        assertEquals("RETRYING", t.get("state").getAsString());
        assertEquals("2026-12-01T10:00:20Z", t.get("nextAttempt").getAsString());
        assertEquals(3, t.get("attempts").getAsInt());
        assertEquals("username", t.getAsJsonArray("findings").get(0).getAsJsonObject().get("property").getAsString());
        assertEquals(StatusJson.tunnels(runtime.tunnels(), java.util.Locale.ENGLISH), o);
    }
}
