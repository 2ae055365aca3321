package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The page shows what the server says only as text: its script never parses a string as HTML,
 * and the HTML the console frames has nothing the console would substitute.
 */
class PageResourcesTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = TunnelsPlugin.class.getResourceAsStream("/res/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theScriptNeverParsesHtml() throws IOException {
        String js = resource("sshtunnels.js");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".html(", ".append(",
                "eval(", "new Function", "setTimeout('", "setTimeout(\"")) {
            assertFalse(js.contains(sink), "sshtunnels.js uses " + sink);
        }
    }

    @Test
    void thePageHasNothingTheConsoleSubstitutes() throws IOException {
        assertFalse(resource("page.html").contains("${"));
    }
}
