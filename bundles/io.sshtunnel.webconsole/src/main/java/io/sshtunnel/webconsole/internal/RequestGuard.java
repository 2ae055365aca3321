package io.sshtunnel.webconsole.internal;

import static io.sshtunnel.webconsole.internal.SameOriginFilter.origin;
import static io.sshtunnel.webconsole.internal.SameOriginFilter.originOf;
import static io.sshtunnel.webconsole.internal.SameOriginFilter.printable;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether a state-changing request to the tunnels page came from the page itself. The console
 * has no CSRF protection and a browser resends HTTP Basic credentials by itself, so each POST must
 * carry a header a cross-site form cannot set ({@value #HEADER}: {@value #HEADER_VALUE}, which a
 * page of another site cannot add without a CORS preflight the console never grants) and, when
 * the browser names the page it came from (Origin, or else Referer), that page must be the
 * console's own. The global {@link SameOriginFilter} checks the origin for every console page; the
 * page checks both itself, so that it stays safe without that filter; what an origin is, is the
 * filter's (one home).
 */
final class RequestGuard {
    static final String HEADER = "X-Requested-With";
    static final String HEADER_VALUE = "XMLHttpRequest";

    private RequestGuard() {
    }

    /** Why the request must be refused (403), or null when it may change something. */
    static String refusal(HttpServletRequest request) {
        if (!HEADER_VALUE.equals(request.getHeader(HEADER))) {
            return "the request lacks the header " + HEADER + ": " + HEADER_VALUE + " that the tunnels page sends";
        }
        String own = origin(request.getScheme(), request.getHeader("Host"));
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(own) ? null : "the request came from " + printable(origin) + ", not from this console";
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            String from = originOf(referer);
            return own.equalsIgnoreCase(from) ? null : "the request came from " + printable(from) + ", not from this console";
        }
        return null; // no browser page named: a program, which the console's password check covers
    }
}
