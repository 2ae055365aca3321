package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class SameOriginFilterTest {
    /** The assembly's console: bound to 127.0.0.1. */
    final SameOriginFilter filter = new SameOriginFilter(SameOriginFilter.allowedHosts("127.0.0.1", null));

    static HttpServletRequest request(String method, String origin, String referer) {
        return request(method, origin, referer, "127.0.0.1:8080");
    }

    static HttpServletRequest request(String method, String origin, String referer, String host) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn(method);
        when(r.getScheme()).thenReturn("http");
        when(r.getHeader("Host")).thenReturn(host);
        when(r.getHeader("Origin")).thenReturn(origin);
        when(r.getHeader("Referer")).thenReturn(referer);
        when(r.getRequestURI()).thenReturn("/system/console/configMgr/[Temporary PID replaced by real PID upon save]");
        return r;
    }

    @ParameterizedTest(name = "[{index}] {0} Origin={1} Referer={2}")
    @CsvSource(nullValues = "-", value = {
            "POST, https://evil.example, -",
            "POST, null, -",
            "POST, http://127.0.0.1:8081, -",
            "POST, http://localhost:8080, -",
            "POST, -, https://evil.example/page.html",
            "POST, -, http://127.0.0.1:8080.evil.example/",
            "DELETE, https://evil.example, -",
            "PUT, -, https://evil.example/",
            "post, https://evil.example, -" })
    void aStateChangeFromAnotherSiteIsRefused(String method, String origin, String referer) {
        String why = filter.refusal(request(method, origin, referer));
        assertNotNull(why);
        assertTrue(why.contains("not from this console (http://127.0.0.1:8080)"), why);
    }

    @ParameterizedTest(name = "[{index}] {0} Origin={1} Referer={2}")
    @CsvSource(nullValues = "-", value = {
            "POST, http://127.0.0.1:8080, -",
            "POST, HTTP://127.0.0.1:8080, -",
            "POST, -, http://127.0.0.1:8080/system/console/configMgr",
            "POST, -, http://admin:x@127.0.0.1:8080/system/console/bundles",
            "POST, -, -",
            "GET, https://evil.example, -",
            "HEAD, -, https://evil.example/",
            "OPTIONS, https://evil.example, -" })
    void ourOwnPagesProgramsAndSafeMethodsPass(String method, String origin, String referer) {
        assertNull(filter.refusal(request(method, origin, referer)));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = { "GET, evil.example:8080", "POST, evil.example:8080", "GET, 10.0.0.5:8080", "GET, -",
            "GET, 127.evil.example:8080", "POST, 127.0.0.1.evil.example:8080" })
    void aPageOfAnotherNameMadeToPointHereIsRefusedEvenForReading(String method, String host) {
        // DNS rebinding: Origin and Host agree, both the attacker's name
        String why = filter.refusal(request(method, host == null ? null : "http://" + host, null, host));
        assertNotNull(why);
        assertTrue(why.contains("does not answer to the host name"), why);
    }

    @ParameterizedTest
    @CsvSource({ "localhost:8080", "127.0.0.1:18080", "LOCALHOST:8080", "127.0.0.2:8080", "[::1]:8080" })
    void loopbackNamesAreThisConsolesOwn(String host) {
        assertNull(filter.refusal(request("GET", null, null, host)));
        assertNull(filter.refusal(request("POST", "http://" + host, null, host)));
    }

    @Test
    void namesCanBeAddedAndAConsoleOnEveryInterfaceAnswersToAny() {
        SameOriginFilter proxied = new SameOriginFilter(SameOriginFilter.allowedHosts("127.0.0.1", "pbx.example.com, other"));
        assertNull(proxied.refusal(request("GET", null, null, "pbx.example.com")));
        SameOriginFilter open = new SameOriginFilter(SameOriginFilter.allowedHosts("0.0.0.0", null));
        assertNull(open.refusal(request("GET", null, null, "pbx.corp.local:8080")));
        assertNotNull(open.refusal(request("POST", "https://evil.example", null, "pbx.corp.local:8080")), "the origin still counts");
    }

    @Test
    void aRefusedRequestGetsForbiddenAndNeverReachesTheConsole() throws Exception {
        HttpServletRequest req = request("POST", "https://evil.example", null);
        HttpServletResponse res = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(res.getWriter()).thenReturn(new PrintWriter(body));
        FilterChain chain = mock(FilterChain.class);

        filter.doFilter(req, res, chain);

        verify(res).setStatus(403);
        verify(chain, never()).doFilter(req, res);
        assertTrue(body.toString().startsWith("Forbidden: the request came from a page of https://evil.example"), body.toString());
    }

    @Test
    void anAllowedRequestGoesOn() throws Exception {
        HttpServletRequest req = request("POST", "http://127.0.0.1:8080", null);
        HttpServletResponse res = mock(HttpServletResponse.class);
        FilterChain chain = mock(FilterChain.class);
        filter.doFilter(req, res, chain);
        verify(chain).doFilter(req, res);
        assertEquals(0, org.mockito.Mockito.mockingDetails(res).getInvocations().size());
    }
}
