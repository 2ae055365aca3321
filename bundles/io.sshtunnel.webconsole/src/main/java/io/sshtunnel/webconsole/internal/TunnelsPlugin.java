package io.sshtunnel.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import io.sshtunnel.api.TunnelAdministration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.sshtunnel.api.ConnectionTester;
import io.sshtunnel.api.TemplateCatalog;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelRuntime;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's page in the Felix Web Console, {@code /system/console/sshtunnels}: every tunnel's
 * state with its mappings, and an editor for the administrator's tunnels with live validation,
 * a background connection test and templates. A plain servlet plugin of Web Console 5: GET
 * {@code sshtunnels} is framed by the console (the page itself is {@code res/page.html}, its script
 * and style beside it), GET {@code sshtunnels.json} is every tunnel's status, and the actions are
 * POSTs of JSON to {@code sshtunnels/ACTION}, each checked by {@link RequestGuard}.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + TunnelsPlugin.LABEL,
        "felix.webconsole.title=%plugin.title",
        "felix.webconsole.category=sshtunnel" })
public final class TunnelsPlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TunnelsPlugin.class);
    static final String LABEL = "sshtunnels";
    /** The largest action a page sends: a tunnel of 100 mappings of 1,024 characters each, and room to spare. */
    static final int MAX_BODY = 256 * 1024;

    /** Connection tests per client: without a bound, the test is a port scanner (refused, filtered and open ports differ). */
    private final transient RateLimit tests = new RateLimit(RateLimit.TESTS_PER_SECOND, RateLimit.BURST, System::nanoTime);

    private final transient TunnelRuntime runtime;
    private final transient TunnelActions actions;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ConnectionTester tester;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TemplateCatalog templates;

    @Activate
    public TunnelsPlugin(BundleContext context, @Reference TunnelRuntime runtime, @Reference TunnelAdministration admin) {
        this(runtime, admin, null, null,
                Boolean.parseBoolean(context.getProperty(TunnelConstants.FINGERPRINT_REQUIRED_DEFAULT_PROPERTY)));
    }

    TunnelsPlugin(TunnelRuntime runtime, TunnelAdministration admin, ConnectionTester tester, TemplateCatalog templates,
            boolean fingerprintRequired) {
        this.runtime = runtime;
        this.tester = tester;
        this.templates = templates;
        this.actions = new TunnelActions(runtime, admin, () -> this.tester, () -> this.templates, fingerprintRequired);
    }

    /** English or German, as the browser prefers. */
    static Locale locale(HttpServletRequest request) {
        Locale l = request.getLocale();
        return l != null && "de".equals(l.getLanguage()) ? Locale.GERMAN : Locale.ENGLISH;
    }

    /** The part of the path after the label: "" for the page, ".json", "/templates.json", "/save", ... */
    static String rest(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null) {
            return "";
        }
        String prefix = "/" + LABEL;
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String rest = rest(request);
        Locale locale = locale(request);
        switch (rest) {
        case "":
        case "/":
        case ".html":
            page(response, locale);
            return;
        case ".json":
            TunnelActions.Stored stored = actions.stored();
            json(response, 200, StatusJson.tunnels(runtime.tunnels(), locale, stored));
            return;
        case "/templates.json":
            try {
                json(response, 200, actions.templates(locale));
            } catch (TunnelActions.ActionException e) {
                refuse(response, e);
            }
            return;
        default:
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /** The page's body: the console frames it (header, menu, footer) and gives it jQuery. */
    private static void page(HttpServletResponse response, Locale locale) throws IOException {
        try (InputStream in = TunnelsPlugin.class.getResourceAsStream("/res/page.html")) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "res/page.html is missing from the bundle");
                return;
            }
            response.setContentType("text/html");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(render(new String(in.readAllBytes(), StandardCharsets.UTF_8), locale));
        }
    }

    private static final java.util.regex.Pattern SLOT = java.util.regex.Pattern.compile("\\{\\{([a-zA-Z0-9.]+)\\}\\}");

    /**
     * The page in the reader's language: each {@code {{key}}} is that text (as HTML text),
     * {@code {{lang}}} the language, {@code {{texts}}} the script's texts as JSON (HTML-safe).
     */
    static String render(String html, Locale locale) {
        java.util.regex.Matcher m = SLOT.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 8192);
        while (m.find()) {
            String key = m.group(1);
            String text;
            if (key.equals("lang")) {
                text = locale.getLanguage();
            } else if (key.equals("texts")) {
                text = new com.google.gson.Gson().toJson(Texts.patterns(locale, "js.")); // escapes <, > and & as \\u
            } else {
                text = escape(Texts.get(locale, key));
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal = RequestGuard.refusal(request);
        if (refusal != null) {
            LOG.warn("Refused POST {} from {}: {}", request.getRequestURI(), request.getRemoteAddr(), refusal);
            error(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden: " + refusal);
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "send the action as application/json");
            return;
        }
        JsonObject body;
        try {
            body = body(request);
        } catch (TooLarge e) {
            error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "the body is " + e.getMessage() + ": at most "
                    + MAX_BODY + " bytes are accepted");
            return;
        } catch (JsonParseException | IllegalStateException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "the body is not a JSON object: " + e.getMessage());
            return;
        }
        if ("/test".equals(rest(request)) && !tests.tryAcquire(request.getRemoteUser() + "@" + request.getRemoteAddr())) {
            response.setHeader("Retry-After", "1");
            error(response, 429, Texts.get(locale(request), "msg.rateLimited", RateLimit.TESTS_PER_SECOND));
            return;
        }
        Locale locale = locale(request);
        try {
            JsonObject answer;
            switch (rest(request)) {
            case "/validate":
                answer = actions.validate(body, locale);
                break;
            case "/test":
                answer = actions.test(body, locale);
                break;
            case "/save":
                answer = actions.save(body, locale);
                break;
            case "/enable":
                answer = actions.setEnabled(body, true, locale);
                break;
            case "/disable":
                answer = actions.setEnabled(body, false, locale);
                break;
            case "/delete":
                answer = actions.delete(body, locale);
                break;
            case "/template":
                answer = actions.applyTemplate(body, locale);
                break;
            default:
                error(response, HttpServletResponse.SC_NOT_FOUND, "no such action: " + rest(request));
                return;
            }
            json(response, 200, answer);
        } catch (TunnelActions.ActionException e) {
            refuse(response, e);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            // a field of the wrong JSON type (an array where text belongs, ...): the request's fault, not ours
            error(response, HttpServletResponse.SC_BAD_REQUEST, "the body does not have the fields this action needs: "
                    + e.getMessage());
        }
    }

    /** A body over {@link #MAX_BODY}: a 413, never read to its end. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private static JsonObject body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new TooLarge(request.getContentLengthLong() + " bytes long");
        }
        try (Reader r = request.getReader()) {
            char[] buf = new char[8192];
            StringBuilder b = new StringBuilder();
            int n;
            while ((n = r.read(buf)) >= 0) {
                b.append(buf, 0, n);
                if (b.length() > MAX_BODY) {
                    throw new TooLarge("longer than " + MAX_BODY + " characters");
                }
            }
            JsonElement e = JsonParser.parseString(b.length() == 0 ? "{}" : b.toString());
            if (!e.isJsonObject()) {
                throw new IllegalStateException("expected an object");
            }
            return e.getAsJsonObject();
        }
    }

    private static void refuse(HttpServletResponse response, TunnelActions.ActionException e) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("error", e.getMessage());
        o.add("findings", StatusJson.findings(e.findings));
        json(response, e.status, o);
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(response, status, o);
    }

    private static void json(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write(StatusJson.GSON.toJson(body));
    }
}
