package io.sshtunnel.webconsole.internal;

import static io.sshtunnel.api.TunnelConstants.*;

import java.io.IOException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;


import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.ConnectionTester;
import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingExplainer;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TemplateCatalog;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelAdministration;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelTemplate;

/**
 * What the tunnels page can do: check a candidate, test its connection, save it, enable, disable,
 * delete, apply a template. A pinned fingerprint changes only when the editor saves another one, which the
 * connection test presented and the user accepted. The page's user is the administrator: a
 * module's tunnel is shown but never changed (refused naming its owner). Each change is checked as
 * the engine would check it before anything is saved. No answer holds a secret.
 */
final class TunnelActions {
    private final TunnelRuntime runtime;
    private final TunnelAdministration admin;
    private final Supplier<ConnectionTester> tester;
    private final Supplier<TemplateCatalog> templates;
    private final boolean fingerprintRequired;

    /** A refused action: the HTTP status, one line for the user, and the findings behind it. */
    static final class ActionException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient List<Finding> findings;

        ActionException(int status, String message) {
            this(status, message, List.of());
        }

        ActionException(int status, String message, List<Finding> findings) {
            super(message);
            this.status = status;
            this.findings = findings;
        }
    }

    TunnelActions(TunnelRuntime runtime, TunnelAdministration admin, Supplier<ConnectionTester> tester,
            Supplier<TemplateCatalog> templates, boolean fingerprintRequired) {
        this.runtime = runtime;
        this.admin = admin;
        this.tester = tester;
        this.templates = templates;
        this.fingerprintRequired = fingerprintRequired;
    }

    /** The findings for a candidate (each names its field, and its mapping), and what each mapping means. */
    JsonObject validate(JsonObject body, Locale locale) throws IOException {
        Candidate c = Candidate.of(body);
        List<Finding> findings = runtime.check(pid(c), c.properties(storedProperties(c.id)), locale);
        JsonObject out = new JsonObject();
        out.add("findings", StatusJson.findings(findings));
        JsonArray explained = new JsonArray();
        for (String entry : c.mappings.subList(0, Math.min(c.mappings.size(), StatusJson.MAX_MAPPINGS))) {
            JsonObject m;
            try {
                PortMapping p = PortMapping.parse(entry);
                m = StatusJson.entry(p);
                m.addProperty("explanation", MappingExplainer.explain(p, locale));
            } catch (RuntimeException e) {
                m = new JsonObject();
                m.addProperty("entry", entry);
            }
            explained.add(m);
        }
        out.add("mappings", explained);
        return out;
    }

    /** One connection test of the candidate, bounded and never retried; a masked secret is the stored one. */
    JsonObject test(JsonObject body, Locale locale) throws IOException, ActionException {
        ConnectionTester t = tester.get();
        if (t == null) {
            throw new ActionException(503, Texts.get(locale, "msg.engineMissing"));
        }
        Candidate c = Candidate.of(body);
        boolean required = fingerprintRequired;
        int timeout = DEFAULT_CONNECT_TIMEOUT_SECONDS;
        TunnelStatus existing = c.id == null ? null : status(c.id);
        if (existing != null) {
            required = existing.spec().fingerprintRequired();
            timeout = existing.spec().connectTimeoutSeconds();
        }
        Map<String, Object> storedProperties = storedProperties(c.id);
        String refusal = c.storedSecretRefusal(storedProperties, locale);
        if (refusal != null) {
            return testAnswer(ConnectionTestResult.Outcome.INCOMPLETE.name(), false, refusal, null, false, 0);
        }
        ConnectionTestResult r = t.test(c.request(storedProperties, required, timeout));
        if (c.usesStoredSecret() && r.outcome() == ConnectionTestResult.Outcome.NOT_PINNED) {
            return testAnswer(r.outcome().name(), false, Texts.get(locale, "msg.storedSecretUntrusted", c.serverHost), null, false,
                    r.took().toMillis());
        }
        return testAnswer(r.outcome().name(), r.success(), r.message(locale), r.fingerprint(), r.trustOnFirstUse(), r.took().toMillis());
    }

    private static JsonObject testAnswer(String outcome, boolean success, String message, String fingerprint, boolean firstUse,
            long millis) {
        JsonObject out = new JsonObject();
        out.addProperty("outcome", outcome);
        out.addProperty("success", success);
        out.addProperty("message", message);
        out.addProperty("fingerprint", fingerprint);
        out.addProperty("trustOnFirstUse", firstUse);
        out.addProperty("tookMillis", millis);
        return out;
    }

    /** Creates or changes an administrator's tunnel, after the engine's check found no error. */
    JsonObject save(JsonObject body, Locale locale) throws IOException, ActionException {
        Candidate c = Candidate.of(body);
        if (c.name.isBlank()) {
            throw new ActionException(422, Texts.get(locale, "msg.nameNeeded"), List.of(Finding.error(io.sshtunnel.api.FindingCodes.REQUIRED,
                    NAME, Texts.get(locale, "msg.nameRequired"))));
        }
        TunnelAdministration.StoredTunnel config = null;
        if (c.id != null) {
            config = admin.configuration(c.id).orElseThrow(() -> new ActionException(404, Texts.get(locale, "msg.gone", c.id)));
            if (c.version == null && config.owner() == null && config.file() == null) {
                throw new ActionException(428, "tunnel \"" + Finding.quote(c.name) + "\" exists: send the version its editor was"
                        + " opened on (\"version\" in sshtunnels.json), so that a change made meanwhile is not undone; nothing was saved");
            }
            String refusal = c.otherServerRefusal(config.properties(), locale);
            if (refusal != null) {
                throw new ActionException(422, Texts.get(locale, "msg.notSavedBecause", Finding.quote(c.name), refusal),
                        List.of(Finding.error(io.sshtunnel.api.FindingCodes.REQUIRED, c.password != null && Candidate.masked(c.password)
                                ? PASSWORD : PRIVATE_KEY_PASSPHRASE, refusal)));
            }
        }
        // a taken name is NAME_TAKEN, found by the administration's check (the candidate's PID is no tunnel's)
        Hashtable<String, Object> p = c.properties(config == null ? null : config.properties());
        TunnelAdministration.Saved saved;
        try {
            saved = config == null ? admin.create(p, locale)
                    : admin.update(config.id(), c.version == null ? -1 : c.version, p, locale);
        } catch (TunnelAdminException e) {
            throw refused(e, Texts.get(locale, "msg.notSaved", Finding.quote(c.name)));
        }
        JsonObject out = new JsonObject();
        out.addProperty("id", saved.id());
        out.addProperty("message", Texts.get(locale, "msg.saved", c.name));
        out.add("findings", StatusJson.findings(saved.findings()));
        return out;
    }

    /**
     * A refusal of the administration as the page answers it: 404 for a tunnel that is gone, 409
     * for one the page may not change now (a module's, a file's, or changed meanwhile), 503 when
     * nothing could check it, 422 for findings against the candidate.
     */
    static ActionException refused(TunnelAdminException e, String what) {
        String code = e.findings().stream().filter(Finding::isError).map(Finding::code).findFirst().orElse("");
        int status;
        switch (code) {
            case io.sshtunnel.api.FindingCodes.NOT_FOUND:
                status = 404;
                break;
            case io.sshtunnel.api.FindingCodes.NOT_OWNER:
            case io.sshtunnel.api.FindingCodes.FILE_MADE:
            case io.sshtunnel.api.FindingCodes.STALE_VERSION:
                status = 409;
                break;
            case io.sshtunnel.api.FindingCodes.VALIDATION_UNAVAILABLE:
                status = 503;
                break;
            case io.sshtunnel.api.FindingCodes.INTERNAL:
                status = 500;
                break;
            default:
                status = 422;
        }
        return new ActionException(status, status == 422 ? what + ": " + e.getMessage() : e.getMessage(), e.findings());
    }

    JsonObject setEnabled(JsonObject body, boolean enabled, Locale locale) throws ActionException {
        TunnelAdministration.StoredTunnel config = existing(body, locale);
        try {
            admin.setEnabled(config.id(), enabled, locale);
        } catch (TunnelAdminException e) {
            throw refused(e, Texts.get(locale, enabled ? "msg.notEnabled" : "msg.notDisabled", Finding.quote(config.name())));
        }
        return message(Texts.get(locale, enabled ? "msg.enabled" : "msg.disabled", config.name()));
    }

    JsonObject delete(JsonObject body, Locale locale) throws ActionException {
        TunnelAdministration.StoredTunnel config = existing(body, locale);
        try {
            admin.delete(config.id(), locale);
        } catch (TunnelAdminException e) {
            throw refused(e, Texts.get(locale, "msg.notDeleted", Finding.quote(config.name())));
        }
        return message(Texts.get(locale, "msg.deleted", config.name()));
    }

    /** The candidate's mappings with a template's inserted, moved off ports other tunnels hold. Saves nothing. */
    JsonObject applyTemplate(JsonObject body, Locale locale) throws ActionException {
        TemplateCatalog catalog = catalog(locale);
        String id = body.has("template") ? body.get("template").getAsString() : "";
        Map<String, String> values = new HashMap<>();
        if (body.has("values") && body.get("values").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : body.getAsJsonObject("values").entrySet()) {
                if (!e.getValue().isJsonNull() && !e.getValue().getAsString().isBlank()) {
                    values.put(e.getKey(), e.getValue().getAsString().strip());
                }
            }
        }
        Candidate c = Candidate.of(body.has("candidate") ? body.getAsJsonObject("candidate") : null);
        String pid = pid(c);
        TunnelSpec draft = TunnelSpec.builder(pid, c.name.isEmpty() ? "new" : c.name)
                .server(c.serverHost, c.serverPort == null || Candidate.integer(c.serverPort) == null ? DEFAULT_SERVER_PORT
                        : Candidate.integer(c.serverPort))
                .username(c.username).passwordSet(c.password != null).privateKeyPath(c.privateKeyPath)
                .mappings(c.readableMappings()).build();
        List<TunnelSpec> others = runtime.tunnels().stream().map(TunnelStatus::spec).filter(s -> !s.id().equals(pid))
                .collect(Collectors.toList());
        if (catalog.template(id).isEmpty()) {
            throw new ActionException(404, Texts.get(locale, "msg.noTemplate", Finding.quote(id)));
        }
        TemplateApplication a = catalog.apply(id, values, draft, others, locale);
        JsonObject out = new JsonObject();
        JsonArray all = new JsonArray();
        a.mappings().forEach(m -> all.add(m.format()));
        JsonArray added = new JsonArray();
        a.added().forEach(m -> added.add(m.format()));
        out.add("mappings", all);
        out.add("added", added);
        out.add("findings", StatusJson.findings(a.findings()));
        return out;
    }

    JsonObject templates(Locale locale) throws ActionException {
        JsonArray list = new JsonArray();
        for (TunnelTemplate t : catalog(locale).templates()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", t.id());
            o.addProperty("title", t.title(locale));
            o.addProperty("description", t.description(locale));
            o.addProperty("category", t.category().title(locale));
            JsonArray ps = new JsonArray();
            t.placeholders().forEach(ph -> {
                JsonObject p = new JsonObject();
                p.addProperty("name", ph.name());
                p.addProperty("title", ph.title(locale));
                p.addProperty("example", ph.example());
                ps.add(p);
            });
            o.add("placeholders", ps);
            JsonArray ms = new JsonArray();
            t.mappings().forEach(m -> ms.add(m.toString()));
            o.add("mappings", ms);
            list.add(o);
        }
        JsonObject out = new JsonObject();
        out.add("templates", list);
        return out;
    }

    private TemplateCatalog catalog(Locale locale) throws ActionException {
        TemplateCatalog c = templates.get();
        if (c == null) {
            throw new ActionException(503, Texts.get(locale, "msg.templatesMissing"));
        }
        return c;
    }

    private static JsonObject message(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("message", text);
        return o;
    }

    /**
     * The PID the engine checks the candidate under: its own, or for a new tunnel one no configuration
     * can have ({@code ~} is no character of a name the page gives a PID), so that every saved tunnel,
     * one of the same name included, counts as another.
     */
    static String pid(Candidate c) {
        return c.id != null ? c.id : FACTORY_PID + "~" + c.name + UNSAVED;
    }

    static final String UNSAVED = "~unsaved";

    private TunnelStatus status(String id) {
        return runtime.tunnels().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    private TunnelAdministration.StoredTunnel existing(JsonObject body, Locale locale) throws ActionException {
        String id = body != null && body.has("id") && !body.get("id").isJsonNull() ? body.get("id").getAsString() : null;
        return (id == null ? Optional.<TunnelAdministration.StoredTunnel>empty() : admin.configuration(id)).orElseThrow(
                () -> new ActionException(404, Texts.get(locale, "msg.noConfiguration", id == null ? "(none given)" : Finding.quote(id))));
    }

    /** The stored properties of the tunnel the candidate edits (secrets included, to fill masked fields), or null. */
    private Map<String, Object> storedProperties(String id) {
        return id == null ? null : admin.configuration(id).map(TunnelAdministration.StoredTunnel::properties).orElse(null);
    }

    /** What the page needs of each tunnel's stored configuration, by PID: the file it came from, and its change count. */
    static final class Stored {
        final Map<String, String> files = new HashMap<>();
        final Map<String, Long> versions = new HashMap<>();
        /** Tunnels whose owning module is no longer installed: the administrator may delete them. */
        final java.util.Set<String> ownerGone = new java.util.HashSet<>();
    }

    Stored stored() {
        Stored out = new Stored();
        try {
            for (TunnelAdministration.StoredTunnel c : admin.configurations()) {
                if (c.file() != null) {
                    out.files.put(c.id(), c.file());
                }
                out.versions.put(c.id(), c.version());
                if (!c.ownerInstalled()) {
                    out.ownerGone.add(c.id());
                }
            }
        } catch (RuntimeException e) {
            // the page then shows no file and no version; every change is still checked by the administration
        }
        return out;
    }
}
