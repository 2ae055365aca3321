package io.sshtunnel.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsgiLogBridgeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Failed to update configuration: password = Winter 2025! | Failed to update configuration: password = ****",
            "{password=my secret, server.host=ssh} | {password=****, server.host=ssh}",
            "{password=Winter2025!, server.host=ssh} | {password=****, server.host=ssh}",
            "\"private.key.passphrase\": \"s3cr3t\" | \"private.key.passphrase\": \"****\"",
            "PASSWORD:abc;next | PASSWORD:****;next",
            "Unable to parse /conf/io.sshtunnel.tunnel-x.cfg | Unable to parse /conf/io.sshtunnel.tunnel-x.cfg" })
    void secretsAreMasked(String text, String masked) {
        assertEquals(masked, OsgiLogBridge.mask(text));
    }
}
