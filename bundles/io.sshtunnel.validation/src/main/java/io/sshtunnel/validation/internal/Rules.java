package io.sshtunnel.validation.internal;

import io.sshtunnel.common.Messages;

import static io.sshtunnel.api.FindingCodes.*;
import static io.sshtunnel.api.TunnelConstants.*;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.Fingerprints;
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
    /** Bounds of the interval properties, in seconds, as the Metatype describes them. */
    static final int MAX_KEEPALIVE_SECONDS = 3600;
    static final int MAX_RECONNECT_SECONDS = 3600;
    static final int MAX_CONNECT_TIMEOUT_SECONDS = 600;
    /** The most mappings one tunnel may have (the Metatype's cardinality). */
    static final int MAX_MAPPINGS = 100;

    private final Messages messages;
    private final Privileges privileges;
    private final PortProbe probe;

    private final AdminPorts adminPorts;

    Rules(Messages messages, Privileges privileges, PortProbe probe) {
        this(messages, privileges, probe, AdminPorts.NONE);
    }

    Rules(Messages messages, Privileges privileges, PortProbe probe, AdminPorts adminPorts) {
        this.adminPorts = adminPorts;
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
        if (ms.size() > MAX_MAPPINGS) {
            // one finding, not one per mapping: a hostile file must not cost time or memory in proportion
            out.add(Severity.ERROR, TOO_MANY_MAPPINGS, MAPPINGS, "TOO_MANY_MAPPINGS", ms.size(), MAX_MAPPINGS);
            return out.findings;
        }
        for (TunnelSpec o : others) {
            if (!o.id().equals(c.id()) && o.name().equals(c.name())) {
                out.add(Severity.ERROR, NAME_TAKEN, NAME, "NAME_TAKEN", Finding.quote(c.name()), o.id(),
                        o.owner() == null ? messages.format(out.locale, "ADMINISTRATOR") : o.owner());
                break;
            }
        }
        Occupancy earlier = new Occupancy();
        Occupancy elsewhere = new Occupancy();
        for (TunnelSpec o : others) {
            if (!o.id().equals(c.id()) && o.enabled()) {
                elsewhere.addAll(o);
            }
        }
        for (int i = 0; i < ms.size(); i++) {
            PortMapping m = ms.get(i);
            privileged(i, m, out);
            gateway(i, m, out);
            adminPort(i, m, out);
            // at most one collision per mapping: with an earlier mapping of its own, else with another tunnel
            Occupant taken = earlier.firstOverlap(c, m);
            if (taken == null) {
                taken = elsewhere.firstOverlap(c, m);
            }
            if (taken != null) {
                collision(c, i, m, taken, out);
            }
            earlier.add(c, i, m);
            if (m.kind().listensHere() && !out.hasErrorFor(i) && privileges.canBind(m.bindPort())
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
            out.add(Severity.ERROR, REQUIRED, MAPPINGS, "REQUIRED.mappings");
        }
        seconds(KEEPALIVE_SECONDS, c.keepaliveSeconds(), MAX_KEEPALIVE_SECONDS, out);
        seconds(RECONNECT_MAX_SECONDS, c.reconnectMaxSeconds(), MAX_RECONNECT_SECONDS, out);
        seconds(CONNECT_TIMEOUT_SECONDS, c.connectTimeoutSeconds(), MAX_CONNECT_TIMEOUT_SECONDS, out);
        if (c.targetProbeSeconds() < 0 || c.targetProbeSeconds() > MAX_KEEPALIVE_SECONDS) {
            out.add(Severity.ERROR, RANGE, TARGET_PROBE_SECONDS, "RANGE.OFF", TARGET_PROBE_SECONDS, c.targetProbeSeconds(),
                    MAX_KEEPALIVE_SECONDS);
        }
        if (blank(c.fingerprint()) && c.fingerprintRequired()) {
            out.add(Severity.ERROR, FINGERPRINT_MISSING, FINGERPRINT, "FINGERPRINT_MISSING");
        }
        if (c.proxy() != null) {
            java.util.regex.Matcher p = PROXY_URL.matcher(c.proxy());
            if (!p.matches() || Integer.parseInt(p.group(3)) < 1 || Integer.parseInt(p.group(3)) > 65535) {
                out.add(Severity.ERROR, PROXY_SYNTAX, PROXY, "PROXY_SYNTAX", Finding.quote(io.sshtunnel.common.Urls.withoutUserInfo(c.proxy())));
            } else if (c.via() != null) {
                out.add(Severity.ERROR, PROXY_SYNTAX, PROXY, "PROXY_SYNTAX.VIA", Finding.quote(c.via()));
            }
        }
        if (!blank(c.fingerprint()) && !Fingerprints.isValid(c.fingerprint())) {
            out.add(Severity.ERROR, FINGERPRINT_FORMAT, FINGERPRINT, "FINGERPRINT_FORMAT", Finding.quote(c.fingerprint()));
        }
        boolean key = !blank(c.privateKeyPath());
        if (!key && !c.passwordSet()) {
            out.add(Severity.ERROR, NO_CREDENTIALS, PASSWORD, "NO_CREDENTIALS");
        } else if (key && c.passwordSet()) {
            out.add(Severity.WARNING, BOTH_CREDENTIALS, PASSWORD, "BOTH_CREDENTIALS");
        }
        if (c.certificatePath() != null) {
            if (!key) {
                out.add(Severity.ERROR, REQUIRED, PRIVATE_KEY_PATH, "REQUIRED.certificate");
            } else if (!readableFile(c.certificatePath())) {
                out.add(Severity.ERROR, KEY_FILE, CERTIFICATE_PATH, "KEY_FILE.certificate", Finding.quote(c.certificatePath()));
            }
        }
        if (key && !readableFile(c.privateKeyPath())) {
            out.add(Severity.ERROR, KEY_FILE, PRIVATE_KEY_PATH, "KEY_FILE", Finding.quote(c.privateKeyPath()));
        } else if (key) {
            String exposed = readableByOthers(c.privateKeyPath());
            if (exposed != null) {
                out.add(Severity.WARNING, KEY_FILE_PERMISSIONS, PRIVATE_KEY_PATH, "KEY_FILE_PERMISSIONS",
                        Finding.quote(c.privateKeyPath()), exposed);
            }
        }
    }

    /** {@code http://host:port} or {@code socks5://host:port}: no user or password in it, those have properties of their own. */
    static final java.util.regex.Pattern PROXY_URL = java.util.regex.Pattern.compile(
            "(?i)(http|socks5)://(\\[[0-9a-f:.]+\\]|[a-z0-9._-]+):([0-9]{1,5})/?");

    private void seconds(String property, int value, int max, Out out) {
        if (value < 1 || value > max) {
            out.add(Severity.ERROR, RANGE, property, "RANGE", property, value, 1, max);
        }
    }

    private void privileged(int i, PortMapping m, Out out) {
        if (m.bindPort() >= 1024) {
            return;
        }
        if (m.kind().listensHere()) {
            int suggestion = m.bindPort() + 1000 >= 1024 ? m.bindPort() + 1000 : m.bindPort() + 10000;
            boolean can = privileges.canBind(m.bindPort());
            out.add(can ? Severity.WARNING : Severity.ERROR, PRIVILEGED_LOCAL_PORT, i,
                    "PRIVILEGED_LOCAL_PORT." + (can ? "WARNING" : "ERROR"), i + 1, m.format(), m.bindPort(), suggestion);
        } else {
            out.add(Severity.WARNING, PRIVILEGED_REMOTE_PORT, i, "PRIVILEGED_REMOTE_PORT", i + 1, m.format(), m.bindPort());
        }
    }

    /** An R mapping that hands one of this container's own admin ports to the SSH server's side. */
    private void adminPort(int i, PortMapping m, Out out) {
        if (m.kind() != MappingKind.R || !(Hosts.isLoopback(m.targetHost()) || wildcard(canonicalHost(m.targetHost())))) {
            return;
        }
        AdminPorts.Service s = adminPorts.at(m.targetPort());
        if (s != null) {
            out.add(s.passwordProtected ? Severity.WARNING : Severity.ERROR, ADMIN_PORT_EXPOSED, i,
                    "ADMIN_PORT_EXPOSED." + (s.passwordProtected ? "WARNING" : "ERROR"), i + 1, m.format(), m.targetPort(), s.name);
        }
    }

    private void gateway(int i, PortMapping m, Out out) {
        if (m.isGateway()) {
            String target = m.kind() == MappingKind.D ? "*" : hostPort(m.targetHost(), m.targetPort());
            out.add(Severity.NOTICE, GATEWAY_EXPOSURE, i, "GATEWAY_EXPOSURE." + m.kind(), i + 1, m.format(), m.bindPort(), target);
        }
    }

    private void collision(TunnelSpec c, int i, PortMapping m, Occupant other, Out out) {
        // within the tunnel being checked the message names the other mapping, not "tunnel <this one>"
        String self = other.tunnel.id().equals(c.id()) ? ".SELF" : "";
        if (m.equals(other.mapping)) {
            out.add(Severity.ERROR, DUPLICATE_MAPPING, i, "DUPLICATE_MAPPING" + self, i + 1, m.format(), m.bindPort(),
                    other.tunnel.name(), other.index + 1, other.mapping.format());
        } else if (m.kind().listensHere()) {
            out.add(Severity.ERROR, LOCAL_PORT_COLLISION, i, "LOCAL_PORT_COLLISION" + self, i + 1, m.format(), m.bindPort(),
                    other.tunnel.name(), other.index + 1, other.mapping.format());
        } else {
            out.add(Severity.ERROR, REMOTE_PORT_COLLISION, i, "REMOTE_PORT_COLLISION" + self, i + 1, m.format(), m.bindPort(),
                    other.tunnel.name(), other.index + 1, other.mapping.format(), Finding.quote(c.server()));
        }
    }

    /** A mapping that holds a port: which tunnel, which of its mappings. */
    private static final class Occupant {
        final TunnelSpec tunnel;
        final int index;
        final PortMapping mapping;

        Occupant(TunnelSpec tunnel, int index, PortMapping mapping) {
            this.tunnel = tunnel;
            this.index = index;
            this.mapping = mapping;
        }
    }

    /**
     * The ports held, indexed by what must be equal for two mappings to collide: the kind, the
     * port, and for {@code R} the SSH server. Finding a collision costs a look-up, not a scan of
     * every mapping of every tunnel, so checking is linear in the number of mappings.
     */
    private static final class Occupancy {
        private final Map<String, List<Occupant>> byKey = new HashMap<>();

        void addAll(TunnelSpec t) {
            List<PortMapping> ms = t.mappings();
            for (int j = 0; j < ms.size(); j++) {
                add(t, j, ms.get(j));
            }
        }

        void add(TunnelSpec t, int index, PortMapping m) {
            String key = key(t, m);
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new Occupant(t, index, m));
            }
        }

        /** The same mapping held before, else the first held on an overlapping address, or null. */
        Occupant firstOverlap(TunnelSpec t, PortMapping m) {
            String key = key(t, m);
            List<Occupant> same = key == null ? null : byKey.get(key);
            if (same == null) {
                return null;
            }
            Occupant first = null;
            for (Occupant o : same) {
                if (o.mapping.equals(m)) {
                    return o;
                }
                if (first == null && overlap(m.effectiveBindHost(), o.mapping.effectiveBindHost())) {
                    first = o;
                }
            }
            return first;
        }

        /** Local ports are one space; remote ports one per SSH server. Null: an R mapping of a tunnel without a server. */
        private static String key(TunnelSpec t, PortMapping m) {
            if (m.kind().listensHere()) {
                return "L:" + m.bindPort(); // L and D listen on this machine: one space of ports
            }
            if (t.serverHost() == null) {
                return null;
            }
            return "R:" + m.bindPort() + "@" + canonicalHost(t.serverHost()) + ":" + t.serverPort();
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
        Set<String> templates = p.allowedTemplates();
        if (m.service() != null && !templates.isEmpty() && !templates.contains(m.service())) {
            out.add(Severity.ERROR, POLICY_TEMPLATE, i, "POLICY_TEMPLATE", i + 1, m.format(), p.module(),
                    String.join(", ", new java.util.TreeSet<>(templates)), m.service());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

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

    private static boolean readableFile(String path) {
        try {
            Path p = Path.of(path);
            return Files.isRegularFile(p) && Files.isReadable(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The file's permissions ({@code rw-r--r--}) when its group or others may read it; null when not, or not a POSIX file system. */
    static String readableByOthers(String path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(Path.of(path));
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                return PosixFilePermissions.toString(perms);
            }
            return null;
        } catch (UnsupportedOperationException | java.io.IOException | InvalidPathException | SecurityException e) {
            return null;
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
        final BitSet mappingsWithErrors = new BitSet();

        Out(Locale locale) {
            this.locale = locale;
        }

        void add(Severity s, String code, String property, String key, Object... args) {
            findings.add(new Finding(s, code, property, Finding.NO_MAPPING, messages.format(locale, key, args)));
        }

        void add(Severity s, String code, int mapping, String key, Object... args) {
            findings.add(new Finding(s, code, MAPPINGS, mapping, messages.format(locale, key, args)));
            if (s == Severity.ERROR) {
                mappingsWithErrors.set(mapping);
            }
        }

        boolean hasErrorFor(int mapping) {
            return mappingsWithErrors.get(mapping);
        }
    }
}
