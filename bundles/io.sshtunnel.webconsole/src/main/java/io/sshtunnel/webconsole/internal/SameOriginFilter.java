package io.sshtunnel.webconsole.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Hosts;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses every state-changing request to the Felix Web Console (any page: the Configuration
 * Manager, the bundle upload, ours) that a browser sent on behalf of another site. The console has
 * no CSRF protection of its own, and a browser resends HTTP Basic credentials by itself, so a
 * page anywhere could otherwise create a tunnel to any host. The check is the standard-headers
 * one (OWASP): a browser names the page's origin in {@code Origin} on every cross-site POST (or,
 * failing that, in {@code Referer}); it must be the console's own. A request with neither header
 * comes from a program, not from a browser page, and is let through to the console's password
 * check. Safe methods (GET, HEAD, OPTIONS, TRACE) change nothing and pass.
 *
 * <p>Against DNS rebinding (a page of another site whose name is made to point at 127.0.0.1, so
 * that its Origin and the Host header agree), a console bound to one address answers only to the
 * names of that address: loopback names for 127.0.0.1, plus those listed in the framework
 * property {@value #HOSTS_PROPERTY}; any method, so that such a page cannot read either.
 */
@Component(service = jakarta.servlet.Filter.class, property = {
        "osgi.http.whiteboard.filter.name=sshtunnel-same-origin",
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)",
        "service.ranking:Integer=1000" })
public final class SameOriginFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SameOriginFilter.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** Framework property: further host names the console answers to, comma-separated (e.g. behind a proxy). */
    static final String HOSTS_PROPERTY = Hosts.EXTRA_HOSTS_PROPERTY;

    /** The host names requests may carry, or null for any (the console listens on every interface). */
    private final Set<String> hosts;

    @org.osgi.service.component.annotations.Activate
    public SameOriginFilter(org.osgi.framework.BundleContext context) {
        this(allowedHosts(context.getProperty(Hosts.HTTP_HOST_PROPERTY), context.getProperty(HOSTS_PROPERTY)));
    }

    SameOriginFilter(Set<String> hosts) {
        this.hosts = hosts;
    }

    /** The names a console bound to {@code bound} answers to; null (any) when it listens on every interface. */
    static Set<String> allowedHosts(String bound, String extra) {
        return Hosts.allowedHostHeaders(bound, extra);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String refusal = refusal(request);
        if (refusal == null) {
            chain.doFilter(req, res);
            return;
        }
        LOG.warn("Refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), refusal);
        HttpServletResponse response = (HttpServletResponse) res;
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff"); // the text quotes the request's Origin and Host
        response.getWriter().println("Forbidden: " + refusal);
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(HttpServletRequest request) {
        if (!Hosts.hostHeaderAllowed(hosts, request.getHeader("Host"))) {
            return "this console does not answer to the host name " + printable(Hosts.hostOfHeader(request.getHeader("Host")))
                    + " (add it to the framework property "
                    + HOSTS_PROPERTY + " if it is meant)";
        }
        if (SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return null;
        }
        String own = origin(request.getScheme(), request.getHeader("Host"));
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(own) ? null
                    : "the request came from a page of " + printable(origin) + ", not from this console (" + own + ")";
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            String from = originOf(referer);
            return own.equalsIgnoreCase(from) ? null
                    : "the request came from a page of " + printable(from) + ", not from this console (" + own + ")";
        }
        return null;
    }

    /** {@code scheme://host[:port]}, lower case: what a browser sends as Origin. */
    static String origin(String scheme, String host) {
        return (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) + "://" + (host == null ? "" : host.toLowerCase(Locale.ROOT));
    }

    /** {@code scheme://host[:port]} of a URL, or the text itself when it is none. */
    static String originOf(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return url;
            }
            return origin(u.getScheme(), u.getRawAuthority().replaceFirst("^[^@]*@", ""));
        } catch (URISyntaxException e) {
            return url;
        }
    }

    /** A value from the request, cut and without control characters, for a message. */
    static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
