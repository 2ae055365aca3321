package io.sshtunnel.webconsole.internal;

import static io.sshtunnel.api.TunnelConstants.*;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
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
    final List<String> mappings;
    /** The configuration's change count when the editor was opened, or null (a new tunnel, a script). */
    final Long version;

    private Candidate(JsonObject o) {
        id = text(o, "id");
        name = text(o, "name") == null ? "" : text(o, "name");
        enabled = !o.has("enabled") || o.get("enabled").isJsonNull() || o.get("enabled").getAsBoolean();
        serverHost = text(o, "serverHost");
        serverPort = text(o, "serverPort");
        username = text(o, "username");
        password = text(o, "password");
        privateKeyPath = text(o, "privateKeyPath");
        passphrase = text(o, "passphrase");
        fingerprint = text(o, "fingerprint");
        Long v = null;
        try {
            v = text(o, "version") == null ? null : Long.valueOf(text(o, "version"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version " + text(o, "version") + " is not a number: reload the page");
        }
        version = v;
        mappings = new ArrayList<>();
        JsonElement m = o.get("mappings");
        if (m != null && m.isJsonArray()) {
            for (JsonElement e : (JsonArray) m) {
                if (!e.isJsonNull() && !e.getAsString().isBlank()) {
                    mappings.add(e.getAsString().strip());
                }
            }
        }
    }

    static Candidate of(JsonObject o) {
        return new Candidate(o == null ? new JsonObject() : o);
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        String s = e.isJsonPrimitive() ? e.getAsString() : e.toString();
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
    Hashtable<String, Object> properties(Dictionary<String, Object> stored) {
        Hashtable<String, Object> p = new Hashtable<>();
        if (stored != null) {
            for (java.util.Enumeration<String> k = stored.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
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
        p.put(MAPPINGS, mappings.toArray(new String[0]));
        return p;
    }

    /** The connection test's request: the stored secret where the form holds the mask. */
    TunnelRequest request(Dictionary<String, Object> stored, boolean fingerprintRequired, int timeoutSeconds) {
        Integer port = serverPort == null ? Integer.valueOf(DEFAULT_SERVER_PORT) : integer(serverPort);
        return TunnelRequest.builder(name.isEmpty() ? "test" : name)
                .server(serverHost, port == null ? -1 : port)
                .username(username)
                .password(masked(password) ? secret(stored, PASSWORD) : password)
                .privateKey(privateKeyPath, masked(passphrase) ? secret(stored, PRIVATE_KEY_PASSPHRASE) : passphrase)
                .fingerprint(fingerprint).fingerprintRequired(fingerprintRequired)
                .connectTimeoutSeconds(timeoutSeconds).build();
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

    private static String secret(Dictionary<String, Object> stored, String key) {
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
