package io.sshtunnel.webconsole.internal;

import static io.sshtunnel.api.TunnelConstants.*;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.Map;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelRequest;

/**
 * A tunnel as the editor sends it: the fields of the form, secrets included (never sent back).
 * A secret field holding {@link #MASK} is the unchanged masked value and means "keep the stored
 * one"; an empty field means none.
 */
final class Candidate {
    /** What the page shows in a secret field that is set; sent back unchanged, it keeps the stored secret. */
    static final String MASK = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

    final String id;
    final String name;
    final boolean enabled;
    final String serverHost;
    final String serverPort;
    final String username;
    final String password;
    final String privateKeyPath;
    final String passphrase;
    final String fingerprint;
    /** The tunnel this one's connection passes through, or null. */
    final String via;
    final List<String> mappings;
    /** The configuration's change count when the editor was opened, or null (a new tunnel, a script). */
    final Long version;

    private Candidate(JsonObject o) {
        id = text(o, "id");
        name = text(o, "name") == null ? "" : text(o, "name");
        enabled = bool(o, "enabled");
        serverHost = text(o, "serverHost");
        serverPort = text(o, "serverPort");
        username = text(o, "username");
        password = text(o, "password");
        privateKeyPath = text(o, "privateKeyPath");
        passphrase = text(o, "passphrase");
        fingerprint = text(o, "fingerprint");
        via = text(o, "via");
        Long v = null;
        try {
            v = text(o, "version") == null ? null : Long.valueOf(text(o, "version"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version " + text(o, "version") + " is not a number: reload the page");
        }
        version = v;
        mappings = new ArrayList<>();
        JsonElement m = o.get("mappings");
        if (m != null && !m.isJsonNull() && !m.isJsonArray()) {
            throw new IllegalArgumentException("mappings " + shown(m) + " is not a list: send an array of mapping entries");
        }
        if (m != null && m.isJsonArray()) {
            for (JsonElement e : (JsonArray) m) {
                if (!e.isJsonNull() && !(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
                    throw new IllegalArgumentException("mappings holds " + shown(e) + ", which is not text: send each mapping as a string");
                }
                if (!e.isJsonNull() && !e.getAsString().isBlank()) {
                    mappings.add(e.getAsString().strip());
                }
            }
        }
    }

    /** true when absent; a JSON boolean, or the text true or false; anything else is the request's error, naming the field. */
    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return true;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
                && (e.getAsString().equalsIgnoreCase("true") || e.getAsString().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(e.getAsString());
        }
        throw new IllegalArgumentException(key + " " + shown(e) + " is not a boolean: send true or false");
    }

    /** A JSON value as a message may quote it: cut, control characters escaped. */
    private static String shown(JsonElement e) {
        return io.sshtunnel.api.Finding.quote(e.toString());
    }

    static Candidate of(JsonObject o) {
        return new Candidate(o == null ? new JsonObject() : o);
    }

    /** A text field: a JSON string (or a number, as a port may come); an object, array or boolean is the request's error. */
    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(key + " " + (key.equals("password") || key.equals("passphrase") ? "" : shown(e) + " ")
                    + "is not text: send a string");
        }
        String s = e.getAsString();
        return s.isEmpty() ? null : s;
    }

    static boolean masked(String secret) {
        return MASK.equals(secret);
    }

    /**
     * The configuration's properties: {@code stored} (the tunnel's current ones, or empty for a new
     * one) with the form's fields put over it. A masked secret keeps the stored value; every other
     * property the form does not show (owner, timeouts, ...) is kept as stored.
     */
    Hashtable<String, Object> properties(Map<String, Object> stored) {
        Hashtable<String, Object> p = new Hashtable<>();
        if (stored != null) {
            for (String key : stored.keySet()) {
                p.put(key, stored.get(key));
            }
        }
        p.put(NAME, name);
        p.put(ENABLED, enabled);
        put(p, SERVER_HOST, serverHost);
        if (serverPort == null) {
            p.remove(SERVER_PORT);
        } else {
            Integer port = integer(serverPort);
            p.put(SERVER_PORT, port == null ? serverPort : port); // an unreadable value is the engine's TYPE finding
        }
        put(p, USERNAME, username);
        if (!masked(password)) {
            putSecret(p, PASSWORD, password);
        }
        put(p, PRIVATE_KEY_PATH, privateKeyPath);
        if (!masked(passphrase)) {
            putSecret(p, PRIVATE_KEY_PASSPHRASE, passphrase);
        }
        put(p, FINGERPRINT, fingerprint);
        put(p, VIA, via);
        p.put(MAPPINGS, mappings.toArray(new String[0]));
        return p;
    }

    /**
     * The connection test's request: the stored secret where the form holds the mask. A stored
     * secret goes only to the server it was saved for, as the key saved or trusted for it proves
     * (see {@link #storedSecretRefusal}): the request then carries the stored fingerprint and
     * requires one, so that the engine sends nothing to a key nobody has accepted.
     */
    TunnelRequest request(Map<String, Object> stored, boolean fingerprintRequired, int timeoutSeconds) {
        Integer port = serverPort == null ? Integer.valueOf(DEFAULT_SERVER_PORT) : integer(serverPort);
        boolean storedSecret = usesStoredSecret();
        return TunnelRequest.builder(name.isEmpty() ? "test" : name)
                .server(serverHost, port == null ? -1 : port)
                .username(username)
                .password(masked(password) ? secret(stored, PASSWORD) : password)
                .privateKey(privateKeyPath, masked(passphrase) ? secret(stored, PRIVATE_KEY_PASSPHRASE) : passphrase)
                .fingerprint(storedSecret ? secret(stored, FINGERPRINT) : fingerprint)
                .fingerprintRequired(fingerprintRequired || storedSecret)
                .via(via)
                // the page has no proxy fields: a saved tunnel's proxy is tested as stored
                .proxy(secret(stored, PROXY), secret(stored, PROXY_USERNAME), secret(stored, PROXY_PASSWORD))
                .connectTimeoutSeconds(timeoutSeconds).build();
    }

    /** Whether a secret field holds the mask, so that the stored secret would be used. */
    boolean usesStoredSecret() {
        return masked(password) || masked(passphrase);
    }

    /**
     * Why the stored secret may not be used for this candidate, or null when it may: it goes only to
     * the server, port and user it was saved for, and only to the key saved for it (a fingerprint
     * typed or accepted in the editor but not saved is no key anybody has accepted yet).
     */
    String storedSecretRefusal(Map<String, Object> stored, java.util.Locale locale) {
        String other = otherServerRefusal(stored, locale);
        if (other != null || !usesStoredSecret()) {
            return other;
        }
        String what = storedSecret(locale);
        String storedFp = io.sshtunnel.api.Fingerprints.normalise(secret(stored, FINGERPRINT));
        String typed = io.sshtunnel.api.Fingerprints.normalise(fingerprint);
        if (typed != null && !typed.equals(storedFp)) {
            return Texts.get(locale, "msg.stored.otherKey", what, typed);
        }
        return null;
    }

    /** Which stored secret the form keeps, in words: the password or the passphrase. */
    private String storedSecret(java.util.Locale locale) {
        return Texts.get(locale, masked(password) ? "msg.password" : "msg.passphrase");
    }

    /**
     * Why the stored secret may not be kept for this candidate, or null when it may: it belongs to
     * the server, port and user it was saved for; a save that changes them needs it typed again.
     */
    String otherServerRefusal(Map<String, Object> stored, java.util.Locale locale) {
        if (!usesStoredSecret()) {
            return null;
        }
        String what = storedSecret(locale);
        if (stored == null) {
            return Texts.get(locale, "msg.stored.none", what);
        }
        Object storedPort = stored.get(SERVER_PORT);
        Integer was = storedPort == null ? Integer.valueOf(DEFAULT_SERVER_PORT) : integer(storedPort.toString());
        Integer now = serverPort == null ? Integer.valueOf(DEFAULT_SERVER_PORT) : integer(serverPort);
        String storedHost = secret(stored, SERVER_HOST);
        String storedUser = secret(stored, USERNAME);
        if (serverHost == null || storedHost == null || !serverHost.strip().equalsIgnoreCase(storedHost.strip())
                || now == null || !now.equals(was) || username == null || !username.strip().equals(storedUser == null ? null : storedUser.strip())) {
            return Texts.get(locale, "msg.stored.otherServer", what, storedUser + "@" + storedHost + ":" + was);
        }
        return null;
    }

    /** The mappings that can be read, for templates; unreadable entries are the validation's to report. */
    List<PortMapping> readableMappings() {
        List<PortMapping> out = new ArrayList<>();
        for (String m : mappings) {
            try {
                out.add(PortMapping.parse(m));
            } catch (RuntimeException e) {
                // reported by the validation
            }
        }
        return out;
    }

    private static String secret(Map<String, Object> stored, String key) {
        Object v = stored == null ? null : stored.get(key);
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    private static void put(Hashtable<String, Object> p, String key, String value) {
        if (value == null || value.isBlank()) {
            p.remove(key);
        } else {
            p.put(key, value.strip());
        }
    }

    /** A secret as typed: spaces may belong to it. */
    private static void putSecret(Hashtable<String, Object> p, String key, String value) {
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
    }

    static Integer integer(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
