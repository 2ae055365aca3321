package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jakarta.servlet.http.HttpServletRequest;

class RequestGuardTest {
    static HttpServletRequest request(String header, String origin, String referer) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getScheme()).thenReturn("http");
        when(r.getHeader("Host")).thenReturn("127.0.0.1:8080");
        when(r.getHeader("X-Requested-With")).thenReturn(header);
        when(r.getHeader("Origin")).thenReturn(origin);
        when(r.getHeader("Referer")).thenReturn(referer);
        return r;
    }

    @ParameterizedTest(name = "[{index}] header={0} Origin={1} Referer={2}")
    @CsvSource(nullValues = "-", value = {
            "-, http://127.0.0.1:8080, -",
            "-, -, -",
            "fetch, http://127.0.0.1:8080, -",
            "XMLHttpRequest, https://evil.example, -",
            "XMLHttpRequest, null, -",
            "XMLHttpRequest, http://127.0.0.1:8081, -",
            "XMLHttpRequest, -, https://evil.example/console",
            "XMLHttpRequest, -, http://127.0.0.1:8080.evil.example/" })
    void refused(String header, String origin, String referer) {
        assertNotNull(RequestGuard.refusal(request(header, origin, referer)));
    }

    @ParameterizedTest(name = "[{index}] header={0} Origin={1} Referer={2}")
    @CsvSource(nullValues = "-", value = {
            "XMLHttpRequest, http://127.0.0.1:8080, -",
            "XMLHttpRequest, HTTP://127.0.0.1:8080, -",
            "XMLHttpRequest, -, http://127.0.0.1:8080/system/console/sshtunnels",
            "XMLHttpRequest, -, -" })
    void allowed(String header, String origin, String referer) {
        assertNull(RequestGuard.refusal(request(header, origin, referer)));
    }
}
