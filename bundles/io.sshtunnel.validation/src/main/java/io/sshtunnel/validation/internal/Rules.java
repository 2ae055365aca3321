package io.sshtunnel.validation.internal;

import static io.sshtunnel.api.FindingCodes.*;
import static io.sshtunnel.api.TunnelConstants.*;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.Hosts;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.PortRange;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelSpec;

/**
 * Every rule, as plain code over {@link TunnelSpec}s: no framework, no state but what the
 * constructor is given, so that the engine, the console and the tests get the same answers.
 */
final class Rules {
    static final Pattern FINGERPRINT_PATTERN = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private final Messages messages;
    private final Privileges privileges;
    private final PortProbe probe;

    Rules(Messages messages, Privileges privileges, PortProbe probe) {
        this.messages = messages;
        this.privileges = privileges;
        this.probe = probe;
    }

    /**
     * @param policies      the policies of the candidate's owner
     * @param heldByItself  tells whether the candidate's own running tunnel holds a local port, which then is not "in use by another program"
     */
    List<Finding> check(TunnelSpec c, Collection<TunnelSpec> others, Locale locale, List<TunnelPolicy> policies,
            BiPredicate<String, Integer> heldByItself) {
        Out out = new Out(locale);
        properties(c, out);
        List<PortMapping> ms = c.mappings();
        for (int i = 0; i < ms.size(); i++) {
            PortMapping m = ms.get(i);
            privileged(i, m, out);
            gateway(i, m, out);
            collisionsWithin(c, i, m, out);
            for (TunnelSpec o : others) {
                if (!o.id().equals(c.id()) && o.enabled()) {
                    collisionsWith(c, i, m, o, out);
                }
            }
            if (m.kind() == MappingKind.L && !out.hasErrorFor(i) && privileges.canBind(m.bindPort())
                    && !probe.isFree(m.effectiveBindHost(), m.bindPort()) && !heldByItself.test(c.id(), m.bindPort())) {
                out.add(Severity.WARNING, LOCAL_PORT_IN_USE, i, "LOCAL_PORT_IN_USE", i + 1, m.format(), m.bindPort());
            }
            for (TunnelPolicy p : policies) {
                policy(i, m, p, out);
            }
        }
        return out.findings;
    }

    private void properties(TunnelSpec c, Out out) {
        if (blank(c.serverHost())) {
            out.add(Severity.ERROR, REQUIRED, SERVER_HOST, "REQUIRED", SERVER_HOST);
        } else if (!validHost(c.serverHost())) {
            out.add(Severity.ERROR, HOST_SYNTAX, SERVER_HOST, "HOST_SYNTAX", Finding.quote(c.serverHost()));
        }
        if (c.serverPort() < 1 || c.serverPort() > 65535) {
            out.add(Severity.ERROR, PORT_RANGE, SERVER_PORT, "PORT_RANGE", SERVER_PORT, c.serverPort());
        }
        if (blank(c.username())) {
            out.add(Severity.ERROR, REQUIRED, USERNAME, "REQUIRED", USERNAME);
        }
        if (c.mappings().isEmpty()) {
            out.add(Severity.ERROR, REQUIRED, MAPPINGS, "REQUIRED", MAPPINGS);
        }
        if (!blank(c.fingerprint()) && !FINGERPRINT_PATTERN.matcher(c.fingerprint()).matches()) {
            out.add(Severity.ERROR, FINGERPRINT_FORMAT, FINGERPRINT, "FINGERPRINT_FORMAT", Finding.quote(c.fingerprint()));
        }
        boolean key = !blank(c.privateKeyPath());
        if (!key && !c.passwordSet()) {
            out.add(Severity.ERROR, NO_CREDENTIALS, PASSWORD, "NO_CREDENTIALS");
        } else if (key && c.passwordSet()) {
            out.add(Severity.WARNING, BOTH_CREDENTIALS, PASSWORD, "BOTH_CREDENTIALS");
        }
        if (key && !readableFile(c.privateKeyPath())) {
            out.add(Severity.ERROR, KEY_FILE, PRIVATE_KEY_PATH, "KEY_FILE", Finding.quote(c.privateKeyPath()));
        }
    }

    private void privileged(int i, PortMapping m, Out out) {
        if (m.bindPort() >= 1024) {
            return;
        }
        if (m.kind() == MappingKind.L) {
            int suggestion = m.bindPort() + 1000 >= 1024 ? m.bindPort() + 1000 : m.bindPort() + 10000;
            boolean can = privileges.canBind(m.bindPort());
            out.add(can ? Severity.WARNING : Severity.ERROR, PRIVILEGED_LOCAL_PORT, i,
                    "PRIVILEGED_LOCAL_PORT." + (can ? "WARNING" : "ERROR"), i + 1, m.format(), m.bindPort(), suggestion);
        } else {
            out.add(Severity.WARNING, PRIVILEGED_REMOTE_PORT, i, "PRIVILEGED_REMOTE_PORT", i + 1, m.format(), m.bindPort());
        }
    }

    private void gateway(int i, PortMapping m, Out out) {
        if (m.isGateway()) {
            String target = hostPort(m.targetHost(), m.targetPort());
            out.add(Severity.NOTICE, GATEWAY_EXPOSURE, i, "GATEWAY_EXPOSURE." + m.kind(), i + 1, m.format(), m.bindPort(), target);
        }
    }

    /** Against the earlier mappings of the same tunnel, so that only the second of a pair is flagged. */
    private void collisionsWithin(TunnelSpec c, int i, PortMapping m, Out out) {
        for (int j = 0; j < i; j++) {
            collide(c, i, m, c, j, c.mappings().get(j), out);
        }
    }

    private void collisionsWith(TunnelSpec c, int i, PortMapping m, TunnelSpec o, Out out) {
        List<PortMapping> oms = o.mappings();
        for (int j = 0; j < oms.size(); j++) {
            collide(c, i, m, o, j, oms.get(j), out);
        }
    }

    private void collide(TunnelSpec c, int i, PortMapping m, TunnelSpec o, int j, PortMapping other, Out out) {
        if (m.kind() != other.kind() || m.bindPort() != other.bindPort()) {
            return;
        }
        if (m.kind() == MappingKind.R && !sameServer(c, o)) {
            return;
        }
        if (!overlap(m.effectiveBindHost(), other.effectiveBindHost())) {
            return;
        }
        if (m.equals(other)) {
            out.add(Severity.ERROR, DUPLICATE_MAPPING, i, "DUPLICATE_MAPPING", i + 1, m.format(), m.bindPort(), o.name(), j + 1,
                    other.format());
        } else if (m.kind() == MappingKind.L) {
            out.add(Severity.ERROR, LOCAL_PORT_COLLISION, i, "LOCAL_PORT_COLLISION", i + 1, m.format(), m.bindPort(), o.name(),
                    j + 1, other.format());
        } else {
            out.add(Severity.ERROR, REMOTE_PORT_COLLISION, i, "REMOTE_PORT_COLLISION", i + 1, m.format(), m.bindPort(), o.name(),
                    j + 1, other.format(), Finding.quote(c.server()));
        }
    }

    private void policy(int i, PortMapping m, TunnelPolicy p, Out out) {
        if (!p.allowedKinds().contains(m.kind())) {
            out.add(Severity.ERROR, POLICY_KIND, i, "POLICY_KIND", i + 1, m.format(), p.module(), m.kind());
        }
        if (m.isGateway() && !p.gatewayAllowed()) {
            out.add(Severity.ERROR, POLICY_GATEWAY, i, "POLICY_GATEWAY", i + 1, m.format(), p.module());
        }
        List<PortRange> ranges = p.allowedBindPorts();
        if (!ranges.isEmpty() && ranges.stream().noneMatch(r -> r.contains(m.bindPort()))) {
            String allowed = ranges.stream().map(PortRange::toString).reduce((a, b) -> a + ", " + b).orElse("");
            out.add(Severity.ERROR, POLICY_PORT, i, "POLICY_PORT", i + 1, m.format(), p.module(), allowed, m.bindPort());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    static boolean sameServer(TunnelSpec a, TunnelSpec b) {
        return a.serverPort() == b.serverPort() && a.serverHost() != null && b.serverHost() != null
                && canonicalHost(a.serverHost()).equals(canonicalHost(b.serverHost()));
    }

    /** Whether two bind addresses can conflict: equal, or either binds every interface. */
    static boolean overlap(String a, String b) {
        String x = canonicalHost(a);
        String y = canonicalHost(b);
        return x.equals(y) || wildcard(x) || wildcard(y);
    }

    private static boolean wildcard(String h) {
        return h.equals("*") || h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    private static String canonicalHost(String h) {
        String x = h.toLowerCase(Locale.ROOT);
        if (x.startsWith("[") && x.endsWith("]")) {
            x = x.substring(1, x.length() - 1);
        }
        return x.equals("localhost") ? "127.0.0.1" : x;
    }

    static boolean validHost(String host) {
        return Hosts.isValid(host);
    }

    /**
     * An IPv6 address as RFC 4291 writes it (eight groups, one "::" for a run of zeros, an IPv4
     * address in the last 32 bits), with an optional {@code %zone}; not "10.0.0.5:22" or ":".
     */

    /** The number of colon-separated groups of 1-4 hex digits, or -1 if any is not such a group. */

    private static boolean readableFile(String path) {
        try {
            Path p = Path.of(path);
            return Files.isRegularFile(p) && Files.isReadable(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Collects findings in one language. */
    private final class Out {
        final Locale locale;
        final List<Finding> findings = new ArrayList<>();

        Out(Locale locale) {
            this.locale = locale;
        }

        void add(Severity s, String code, String property, String key, Object... args) {
            findings.add(new Finding(s, code, property, Finding.NO_MAPPING, messages.format(locale, key, args)));
        }

        void add(Severity s, String code, int mapping, String key, Object... args) {
            findings.add(new Finding(s, code, MAPPINGS, mapping, messages.format(locale, key, args)));
        }

        boolean hasErrorFor(int mapping) {
            return findings.stream().anyMatch(f -> f.isError() && f.mappingIndex() == mapping);
        }
    }
}
