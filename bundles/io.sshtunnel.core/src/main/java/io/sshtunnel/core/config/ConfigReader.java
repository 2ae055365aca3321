package io.sshtunnel.core.config;

import static io.sshtunnel.api.FindingCodes.*;
import static io.sshtunnel.api.TunnelConstants.*;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sshtunnel.common.Reason;
import io.sshtunnel.api.Finding;
import io.sshtunnel.api.Fingerprints;
import io.sshtunnel.api.MappingSyntaxException;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.core.ssh.Credentials;

/**
 * Turns a tunnel's Config Admin properties into a {@link TunnelSpec} and {@link Credentials}:
 * types, defaults and the mapping parser, nothing else. A value it cannot convert (text where a
 * number belongs, an entry that is no mapping, a control character) becomes an {@code ERROR}
 * finding naming the property, the value and the fix. Whether the converted values make a usable
 * tunnel (required fields, host syntax, port and interval ranges, the fingerprint's form,
 * credentials, the key file, collisions) is for the validation bundle alone to say. Never throws;
 * never quotes a secret; does no I/O.
 */
public final class ConfigReader {
    private static final int MAX_TEXT = 4096;
    /**
     * The longest value each property takes, in characters (the configuration reference lists
     * them): a longer one is refused ({@code TOO_LONG}), so that no answer, log line or event
     * grows with what somebody stored. Other text properties take {@value #MAX_TEXT}.
     */
    static final Map<String, Integer> MAX_LENGTH = Map.of(NAME, 200, OWNER, 200, VIA, 200, SERVER_HOST, 255, USERNAME, 256,
            FINGERPRINT, 100, PASSWORD, 1024, PRIVATE_KEY_PASSPHRASE, 1024, MAPPINGS, 1024);
    /** The most findings about unreadable mapping entries one configuration reports; the rest are counted. */
    static final int MAX_MAPPING_FINDINGS = 20;

    private ConfigReader() {
    }

    public static ParsedConfig read(String pid, Map<String, ?> props) {
        return read(pid, props, false);
    }

    /** @param fingerprintRequired the container's default of {@code fingerprint.required} */
    public static ParsedConfig read(String pid, Map<String, ?> props, boolean fingerprintRequired) {
        return read(pid, props, fingerprintRequired, Locale.ENGLISH);
    }

    /**
     * As {@link #read(String, Map, boolean)}, the findings worded in the language of the locale; the
     * configuration keeps a way to word them in another (for the status a German reader asks for).
     */
    public static ParsedConfig read(String pid, Map<String, ?> props, boolean fingerprintRequired, Locale locale) {
        ParsedConfig read;
        try {
            read = readChecked(pid, props, fingerprintRequired, locale);
        } catch (RuntimeException e) {
            // a defect here must not take the component down: report it as a finding instead
            Finding f = Finding.error(INTERNAL, NAME, Reason.of("config.internal", e.getClass().getSimpleName()).in(locale));
            return new ParsedConfig(TunnelSpec.builder(pid, defaultName(pid)).build(), null, List.of(f));
        }
        return read.findings().isEmpty() ? read
                : read.withReaderFindingsIn(l -> readChecked(pid, props, fingerprintRequired, l).findings());
    }

    private static ParsedConfig readChecked(String pid, Map<String, ?> props, boolean fingerprintRequired, Locale locale) {
        List<Finding> findings = new ArrayList<>();
        Reader r = new Reader(props, findings, locale);

        String name = r.text(NAME);
        if (name == null) {
            name = defaultName(pid);
        }
        TunnelSpec.Builder b = TunnelSpec.builder(pid, name);
        b.enabled(r.bool(ENABLED, true));
        b.owner(r.text(OWNER));
        b.server(unbracket(r.text(SERVER_HOST)), r.integer(SERVER_PORT, DEFAULT_SERVER_PORT));
        String user = r.text(USERNAME);
        b.username(user);

        String password = r.secret(PASSWORD);
        String keyPath = r.text(PRIVATE_KEY_PATH);
        String passphrase = r.secret(PRIVATE_KEY_PASSPHRASE);
        b.passwordSet(password != null).privateKeyPath(keyPath).passphraseSet(passphrase != null);
        b.fingerprint(Fingerprints.normalise(r.text(FINGERPRINT)));
        // the container's setting is a floor: a configuration may require a fingerprint, never waive it
        b.fingerprintRequired(r.bool(FINGERPRINT_REQUIRED, false) || fingerprintRequired);
        b.mappings(readMappings(r, findings, locale));
        b.keepaliveSeconds(r.integer(KEEPALIVE_SECONDS, DEFAULT_KEEPALIVE_SECONDS));
        b.reconnectMaxSeconds(r.integer(RECONNECT_MAX_SECONDS, DEFAULT_RECONNECT_MAX_SECONDS));
        b.connectTimeoutSeconds(r.integer(CONNECT_TIMEOUT_SECONDS, DEFAULT_CONNECT_TIMEOUT_SECONDS));
        b.targetProbeSeconds(r.integer(TARGET_PROBE_SECONDS, 0));
        b.via(r.text(VIA));
        String proxyPassword = r.secret(PROXY_PASSWORD);
        b.proxy(r.text(PROXY), r.text(PROXY_USERNAME), proxyPassword != null);
        String certificate = r.text(CERTIFICATE_PATH);
        b.certificatePath(certificate);

        TunnelSpec spec = b.build();
        Credentials creds = findings.stream().anyMatch(Finding::isError) ? null
                : new Credentials(user, password, keyPath == null ? null : Path.of(keyPath), passphrase, proxyPassword,
                        certificate == null ? null : Path.of(certificate));
        return new ParsedConfig(spec, creds, findings);
    }

    /** The configuration's name: what follows {@code ~} in a named factory PID, else the PID. */
    static String defaultName(String pid) {
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    /** An IPv6 address is held without the brackets a person may write around it. */
    private static String unbracket(String host) {
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static List<PortMapping> readMappings(Reader r, List<Finding> findings, Locale locale) {
        int before = findings.size();
        List<String> entries = r.list(MAPPINGS);
        List<PortMapping> mappings = new ArrayList<>();
        if (findings.size() > before) {
            return mappings; // the value had the wrong type; that finding says it
        }
        List<Finding> bad = new ArrayList<>();
        int max = MAX_LENGTH.get(MAPPINGS);
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            if (e.length() > max) {
                bad.add(Finding.mappingError(TOO_LONG, i, Reason.of("config.mappingTooLong", i + 1, e.length(), max).in(locale)));
                continue;
            }
            try {
                mappings.add(PortMapping.parse(e));
            } catch (MappingSyntaxException ex) {
                // counted as the operator counts, from 1
                bad.add(Finding.mappingError(MAPPING_SYNTAX, i, Reason.of("config.mappingSyntax", i + 1, ex.getMessage(locale)).in(locale)));
            }
        }
        findings.addAll(Finding.bounded(bad, MAX_MAPPING_FINDINGS));
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
        private final Locale locale;

        Reader(Map<String, ?> props, List<Finding> findings, Locale locale) {
            this.props = props;
            this.findings = findings;
            this.locale = locale;
        }

        private void add(String code, String key, String textKey, Object... args) {
            Object[] all = new Object[args.length + 1];
            all[0] = key;
            System.arraycopy(args, 0, all, 1, args.length);
            findings.add(Finding.error(code, key, Reason.of(textKey, all).in(locale)));
        }

        /** A trimmed string, {@code null} when absent or empty. */
        String text(String key) {
            Object v = props.get(key);
            if (v != null && (v.getClass().isArray() || v instanceof Collection)) {
                List<String> l = list(key);
                v = l.size() == 1 ? l.get(0) : v;
            }
            if (v == null || v.toString().isBlank()) {
                return null;
            }
            if (!(v instanceof String)) {
                add(TYPE, key, "config.notText", v.getClass().getSimpleName(), Finding.quote(display(v)));
                return null;
            }
            String s = ((String) v).strip();
            int max = MAX_LENGTH.getOrDefault(key, MAX_TEXT);
            if (s.length() > max) {
                add(TOO_LONG, key, "config.tooLong", s.length(), max);
                return null;
            }
            if (s.chars().anyMatch(Character::isISOControl)) {
                add(CONTROL_CHARACTER, key, "config.control", Finding.quote(s));
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
                add(TYPE, key, "config.secretNotText");
                return null;
            }
            String s = (String) v;
            int max = MAX_LENGTH.getOrDefault(key, MAX_TEXT);
            if (s.length() > max) {
                add(TOO_LONG, key, "config.tooLong", s.length(), max);
                return null;
            }
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
            add(TYPE, key, "config.notBoolean", Finding.quote(s));
            return dflt;
        }

        /** A whole number; whether it is in range is a rule, checked by the validator. */
        int integer(String key, int dflt) {
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
                    add(TYPE, key, "config.notWhole", Finding.quote(s));
                    return dflt;
                }
            } else {
                add(TYPE, key, "config.notWholeType", v.getClass().getSimpleName(), Finding.quote(display(v)));
                return dflt;
            }
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                add(TYPE, key, "config.tooLarge", n);
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
                add(TYPE, key, "config.notList", v.getClass().getSimpleName());
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
