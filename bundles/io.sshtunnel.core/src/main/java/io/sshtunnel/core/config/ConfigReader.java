package io.sshtunnel.core.config;

import static io.sshtunnel.api.TunnelConstants.*;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.Hosts;
import io.sshtunnel.api.MappingSyntaxException;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.core.ssh.Credentials;
import io.sshtunnel.core.ssh.KeyFiles;

/**
 * Reads a tunnel's Config Admin properties into a {@link TunnelSpec}, {@link Credentials} and
 * findings. Never throws: every bad value becomes an {@code ERROR} finding naming the property,
 * the value and the fix. Secrets are never quoted.
 */
public final class ConfigReader {
    /** {@code SHA256:} and 43 characters of unpadded base64, as {@code ssh-keygen -lf} prints it. */
    private static final Pattern FINGERPRINT_PATTERN = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/])");
    private static final int MAX_TEXT = 4096;

    private ConfigReader() {
    }

    public static ParsedConfig read(String pid, Map<String, ?> props) {
        try {
            return readChecked(pid, props);
        } catch (RuntimeException e) {
            // a defect here must not take the component down: report it as a finding instead
            Finding f = Finding.error("INTERNAL", NAME, "the configuration could not be read (" + e.getClass().getSimpleName()
                    + "); please report this as a bug");
            return new ParsedConfig(TunnelSpec.builder(pid, defaultName(pid)).build(), null, List.of(f));
        }
    }

    private static ParsedConfig readChecked(String pid, Map<String, ?> props) {
        List<Finding> findings = new ArrayList<>();
        Reader r = new Reader(props, findings);

        String name = r.text(NAME, false);
        if (name == null) {
            name = defaultName(pid);
        }
        TunnelSpec.Builder b = TunnelSpec.builder(pid, name);
        b.enabled(r.bool(ENABLED, true));
        b.owner(r.text(OWNER, false));

        String host = r.text(SERVER_HOST, true);
        if (host != null) {
            host = checkHost(host, findings);
        }
        b.server(host, r.integer(SERVER_PORT, DEFAULT_SERVER_PORT, 1, 65535, "give the SSH server's TCP port, e.g. 22 or 8822"));
        String user = r.text(USERNAME, true);
        b.username(user);

        String password = r.secret(PASSWORD);
        String keyPath = r.text(PRIVATE_KEY_PATH, false);
        String passphrase = r.secret(PRIVATE_KEY_PASSPHRASE);
        b.passwordSet(password != null).privateKeyPath(keyPath).passphraseSet(passphrase != null);
        if (password == null && keyPath == null) {
            findings.add(Finding.error("NO_CREDENTIALS", PASSWORD,
                    "neither password nor private.key.path is set: give the SSH user's password or the path of its private key"));
        }

        String fp = r.text(FINGERPRINT, false);
        if (fp != null) {
            Matcher m = FINGERPRINT_PATTERN.matcher(fp);
            if (m.find()) {
                fp = m.group();
            } else {
                findings.add(Finding.error("FINGERPRINT_FORMAT", FINGERPRINT, "fingerprint \"" + fp
                        + "\" is not a SHA256 fingerprint: write it as \"ssh-keygen -lf\" prints it (SHA256: followed by 43"
                        + " characters), or leave it empty to trust the server's key on first use"));
                fp = null;
            }
        }
        b.fingerprint(fp);

        b.mappings(readMappings(r, findings));
        b.keepaliveSeconds(r.integer(KEEPALIVE_SECONDS, DEFAULT_KEEPALIVE_SECONDS, 1, 3600, "give a number of seconds from 1 to 3600"));
        b.reconnectMaxSeconds(r.integer(RECONNECT_MAX_SECONDS, DEFAULT_RECONNECT_MAX_SECONDS, 1, 3600, "give a number of seconds from 1 to 3600"));
        b.connectTimeoutSeconds(r.integer(CONNECT_TIMEOUT_SECONDS, DEFAULT_CONNECT_TIMEOUT_SECONDS, 1, 600, "give a number of seconds from 1 to 600"));

        List<KeyPair> keys = List.of();
        if (keyPath != null) {
            try {
                keys = KeyFiles.load(Path.of(keyPath), passphrase);
            } catch (IllegalArgumentException e) {
                findings.add(Finding.error("KEY_FILE", PRIVATE_KEY_PATH, "private.key.path: " + e.getMessage()));
            }
        }
        TunnelSpec spec = b.build();
        boolean errors = findings.stream().anyMatch(Finding::isError);
        Credentials creds = errors ? null : new Credentials(user, password, keys);
        return new ParsedConfig(spec, creds, findings);
    }

    /** The configuration's name: what follows {@code ~} in a named factory PID, else the PID. */
    static String defaultName(String pid) {
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    private static String checkHost(String host, List<Finding> findings) {
        if (!Hosts.isValid(host)) {
            findings.add(Finding.error("HOST_SYNTAX", SERVER_HOST, "server.host \"" + Finding.quote(host)
                    + "\" is not a host name or IP address: use letters, digits, dots and dashes, or an IPv6 address in brackets, without spaces"));
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static List<PortMapping> readMappings(Reader r, List<Finding> findings) {
        int before = findings.size();
        List<String> entries = r.list(MAPPINGS);
        List<PortMapping> mappings = new ArrayList<>();
        if (findings.size() > before) {
            return mappings; // the value had the wrong type; that finding says it
        }
        if (entries.isEmpty()) {
            findings.add(Finding.error("REQUIRED", MAPPINGS, "mappings is empty: add at least one entry such as"
                    + " \"L 1389:dc1.corp.local:389 # LDAP\" or \"R 2222:localhost:22\""));
            return mappings;
        }
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            try {
                mappings.add(PortMapping.parse(e));
            } catch (MappingSyntaxException ex) {
                findings.add(Finding.mappingError("MAPPING_SYNTAX", i, "mappings[" + i + "]: " + ex.getMessage()));
            }
        }
        return mappings;
    }

    /** A value as a user wrote it: the elements of an array, not its identity hash. */
    private static String display(Object v) {
        if (v == null || !v.getClass().isArray()) {
            return String.valueOf(v);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Array.getLength(v); i++) {
            b.append(i == 0 ? "" : ", ").append(Array.get(v, i));
        }
        return b.append(']').toString();
    }

    /** Coerces raw property values, recording a finding for each that does not fit. */
    private static final class Reader {
        private final Map<String, ?> props;
        private final List<Finding> findings;

        Reader(Map<String, ?> props, List<Finding> findings) {
            this.props = props;
            this.findings = findings;
        }

        /** A trimmed string, {@code null} when absent or empty. */
        String text(String key, boolean required) {
            Object v = props.get(key);
            if (v != null && (v.getClass().isArray() || v instanceof Collection)) {
                List<String> l = list(key);
                v = l.size() == 1 ? l.get(0) : v;
            }
            if (v == null || v.toString().isBlank()) {
                if (required) {
                    findings.add(Finding.error("REQUIRED", key, key + " is not set: it is required"));
                }
                return null;
            }
            if (!(v instanceof String)) {
                findings.add(Finding.error("TYPE", key, key + " has a " + v.getClass().getSimpleName() + " value \""
                        + Finding.quote(display(v)) + "\": give text"));
                return null;
            }
            String s = ((String) v).strip();
            if (s.length() > MAX_TEXT) {
                findings.add(Finding.error("TOO_LONG", key, key + " is " + s.length() + " characters long: at most "
                        + MAX_TEXT + " are accepted"));
                return null;
            }
            if (s.chars().anyMatch(Character::isISOControl)) {
                findings.add(Finding.error("CONTROL_CHARACTER", key, key + " \"" + Finding.quote(s)
                        + "\" contains a control character: remove it"));
                return null;
            }
            return s;
        }

        /** A secret: never quoted in findings. */
        String secret(String key) {
            Object v = props.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String)) {
                findings.add(Finding.error("TYPE", key, key + " is not text: give the secret as text"));
                return null;
            }
            String s = (String) v;
            return s.isEmpty() ? null : s;
        }

        boolean bool(String key, boolean dflt) {
            Object v = props.get(key);
            if (v == null || (v instanceof String && ((String) v).isBlank())) {
                return dflt;
            }
            if (v instanceof Boolean) {
                return (Boolean) v;
            }
            String s = v.toString().strip();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(s);
            }
            findings.add(Finding.error("TYPE", key, key + " \"" + Finding.quote(s) + "\" is not a boolean: write true or false"));
            return dflt;
        }

        int integer(String key, int dflt, int min, int max, String fix) {
            Object v = props.get(key);
            if (v == null || (v instanceof String && ((String) v).isBlank())) {
                return dflt;
            }
            long n;
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                n = ((Number) v).longValue();
            } else if (v instanceof String) {
                String s = ((String) v).strip();
                try {
                    n = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    findings.add(Finding.error("TYPE", key, key + " \"" + Finding.quote(s) + "\" is not a whole number: " + fix));
                    return dflt;
                }
            } else {
                findings.add(Finding.error("TYPE", key, key + " has a " + v.getClass().getSimpleName() + " value \""
                        + Finding.quote(display(v)) + "\": " + fix));
                return dflt;
            }
            if (n < min || n > max) {
                findings.add(Finding.error(key.endsWith("port") ? "PORT_RANGE" : "RANGE", key,
                        key + " " + n + " is outside " + min + "-" + max + ": " + fix));
                return dflt;
            }
            return (int) n;
        }

        /**
         * A list of strings: from a String[] or collection, or from one string with one entry per
         * line or entries separated by commas (the form a {@code .cfg} file allows).
         */
        List<String> list(String key) {
            Object v = props.get(key);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            if (v instanceof String) {
                String s = (String) v;
                for (String part : s.split(s.indexOf('\n') >= 0 ? "\\R" : ",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
                return out;
            }
            List<Object> raw = new ArrayList<>();
            if (v.getClass().isArray()) {
                for (int i = 0; i < Array.getLength(v); i++) {
                    raw.add(Array.get(v, i));
                }
            } else if (v instanceof Collection) {
                raw.addAll((Collection<?>) v);
            } else {
                findings.add(Finding.error("TYPE", key, key + " has a " + v.getClass().getSimpleName()
                        + " value: give a list of text entries"));
                return out;
            }
            for (Object o : raw) {
                if (o != null && !o.toString().isBlank()) {
                    out.add(o.toString().strip());
                }
            }
            return out;
        }
    }
}
