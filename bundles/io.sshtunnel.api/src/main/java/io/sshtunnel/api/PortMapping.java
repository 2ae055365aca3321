package io.sshtunnel.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.sshtunnel.common.Reason;

/**
 * One port mapping, written as OpenSSH's {@code -L} / {@code -R} / {@code -D} argument led by the letter:
 *
 * <pre>
 * L [bind_address:]port:host:hostport  [service=ID]  [# label]
 * R [bind_address:]port:host:hostport  [service=ID]  [# label]
 * D [bind_address:]port  [service=ID]  [# label]
 * </pre>
 *
 * {@code D} is a SOCKS server on this machine (as {@code ssh -D}): it has no target of its own,
 * each client names one ({@link #targetHost()} is {@code null}, {@link #targetPort()} 0).
 * An absent bind address means loopback only (this machine for {@code L} and {@code D}, the SSH
 * server for {@code R}); {@code *} (or an empty address) means every interface, which makes the
 * mapping a gateway for other hosts. IPv6 addresses are written in brackets. {@code service=ID}
 * names the service template the mapping was made from (e.g. {@code service=ldap}); the mapping's
 * {@link TunnelEndpoint} then carries it as {@code mapping.service}. Instances are immutable.
 */
public final class PortMapping {
    /** What {@link #bindHost()} holds for a wildcard bind ({@code *} or empty). */
    public static final String WILDCARD = "*";
    /** How a service id is written after the ports: {@code service=ldap}. */
    public static final String SERVICE_OPTION = "service=";
    private static final java.util.regex.Pattern SERVICE_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final MappingKind kind;
    private final String bindHost;
    private final int bindPort;
    private final String targetHost;
    private final int targetPort;
    private final String label;
    private final String service;

    public PortMapping(MappingKind kind, String bindHost, int bindPort, String targetHost, int targetPort, String label) {
        this(kind, bindHost, bindPort, targetHost, targetPort, label, null);
    }

    /**
     * @param service the id of the service template the mapping was made from, or {@code null}
     * @throws IllegalArgumentException for a port outside 1-65535 or a service id that is not
     *         lower-case letters, digits, dots, dashes and underscores (at most 64, see {@link #isServiceId(String)})
     */
    public PortMapping(MappingKind kind, String bindHost, int bindPort, String targetHost, int targetPort, String label,
            String service) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.bindHost = bindHost == null || bindHost.isEmpty() ? (bindHost == null ? null : WILDCARD) : bindHost;
        this.bindPort = checkPort(bindPort, "port");
        if (kind == MappingKind.D) {
            if (targetHost != null || targetPort != 0) {
                throw new IllegalArgumentException("a D mapping has no target: each SOCKS client names its own");
            }
            this.targetHost = null;
            this.targetPort = 0;
        } else {
            this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
            this.targetPort = checkPort(targetPort, "hostport");
        }
        this.label = label == null || label.isBlank() ? null : label.strip();
        if (service != null && !isServiceId(service)) {
            throw new IllegalArgumentException("service id \"" + Finding.quote(service) + "\" is not lower-case letters, digits, '.', '-' and '_'");
        }
        this.service = service;
    }

    /** Whether the text is a service id: 1-64 of lower-case letters, digits, {@code .}, {@code -}, {@code _}, starting with a letter or digit. */
    public static boolean isServiceId(String id) {
        return id != null && SERVICE_ID.matcher(id).matches();
    }

    private static int checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside 1-65535");
        }
        return port;
    }

    /**
     * Parses one entry.
     *
     * @throws MappingSyntaxException quoting the entry, saying what is wrong and what to write
     */
    public static PortMapping parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new MappingSyntaxException(Reason.of("syntax.empty"));
        }
        String text = entry.strip();
        String label = null;
        int hash = text.indexOf('#');
        if (hash >= 0) {
            label = text.substring(hash + 1).strip();
            text = text.substring(0, hash).strip();
        }
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw error(entry, Reason.of("syntax.control", (int) c), Reason.of("syntax.fix.remove"));
            }
        }
        if (text.isEmpty()) {
            throw error(entry, Reason.of("syntax.labelOnly"), Reason.of("syntax.fix.write", "L port:host:hostport # label"));
        }
        String[] head = text.split("[\\s]+", 2);
        MappingKind kind = MappingKind.of(head[0]);
        if (kind == null) {
            String rest = head.length > 1 ? head[1] : head[0];
            MappingKind meant = head[0].startsWith("-") ? MappingKind.of(head[0].substring(1)) : null;
            boolean dash = head[0].startsWith("-");
            throw error(entry, Reason.of("syntax.letter", Finding.quote(head[0])),
                    meant != null ? Reason.of(dash ? "syntax.fix.writeNoDash" : "syntax.fix.write", meant + " " + Finding.quote(rest))
                            : Reason.of(dash ? "syntax.fix.writeLOrRNoDash" : "syntax.fix.writeLOrR", "L " + Finding.quote(rest)));
        }
        if (head.length < 2 || head[1].isBlank()) {
            throw error(entry, Reason.of("syntax.noPorts", kind), Reason.of("syntax.fix.write", kind + " [bind_address:]port:host:hostport"));
        }
        String[] tokens = head[1].strip().split("\\s+");
        String spec = tokens[0];
        String service = null;
        for (int t = 1; t < tokens.length; t++) {
            if (tokens[t].startsWith(SERVICE_OPTION) && service == null && !tokens[t].contains(":")) {
                service = tokens[t].substring(SERVICE_OPTION.length());
                if (!isServiceId(service)) {
                    throw error(entry, Reason.of("syntax.service", Finding.quote(service)), Reason.of("syntax.fix.service"));
                }
            } else {
                throw error(entry, Reason.of("syntax.spaces", Finding.quote(head[1].strip())),
                        Reason.of("syntax.fix.colons", kind + " 1389:dc1.corp.local:389"));
            }
        }
        List<String> fields = splitColons(entry, spec);
        if (kind == MappingKind.D) {
            if (fields.size() > 2) {
                throw error(entry, Reason.of("syntax.fields.D", fields.size()), Reason.of("syntax.fix.write", "D [bind_address:]port"));
            }
            String dynamicBind = fields.size() == 2 ? host(entry, fields.get(0), "bind", true) : null;
            return new PortMapping(kind, dynamicBind, port(entry, fields.get(fields.size() - 1), "port"), null, 0, label, service);
        }
        String bind;
        String port;
        String host;
        String hostPort;
        if (fields.size() == 3) {
            bind = null;
            port = fields.get(0);
            host = fields.get(1);
            hostPort = fields.get(2);
        } else if (fields.size() == 4) {
            bind = fields.get(0);
            port = fields.get(1);
            host = fields.get(2);
            hostPort = fields.get(3);
        } else {
            throw error(entry, Reason.of("syntax.fields", fields.size()), Reason.of("syntax.fix.fields", kind + " [bind_address:]port:host:hostport"));
        }
        int bindPort = port(entry, port, "port");
        int targetPort = port(entry, hostPort, "hostport");
        String bindHost = bind == null ? null : host(entry, bind, "bind", true);
        String targetHost = host(entry, host, "host", false);
        return new PortMapping(kind, bindHost, bindPort, targetHost, targetPort, label, service);
    }

    private static List<String> splitColons(String entry, String spec) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBrackets = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '[') {
                if (inBrackets || current.length() > 0) {
                    throw error(entry, Reason.of("syntax.bracketMisplaced"), Reason.of("syntax.fix.brackets"));
                }
                inBrackets = true;
                current.append(c);
            } else if (c == ']') {
                if (!inBrackets) {
                    throw error(entry, Reason.of("syntax.bracketUnopened"), Reason.of("syntax.fix.brackets"));
                }
                inBrackets = false;
                current.append(c);
            } else if (c == ':' && !inBrackets) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (inBrackets) {
            throw error(entry, Reason.of("syntax.bracketUnclosed"), Reason.of("syntax.fix.close"));
        }
        fields.add(current.toString());
        return fields;
    }

    private static int port(String entry, String value, String what) {
        Reason field = Reason.of("syntax.field." + what);
        if (value.isEmpty()) {
            throw error(entry, Reason.of("syntax.emptyField", field), Reason.of("syntax.fix.port"));
        }
        if (!value.chars().allMatch(c -> c >= '0' && c <= '9') || value.length() > 9) {
            throw error(entry, Reason.of("syntax.notNumber", field, Finding.quote(value)), Reason.of("syntax.fix.port"));
        }
        int n = Integer.parseInt(value);
        if (n < 1 || n > 65535) {
            throw error(entry, Reason.of("syntax.portRange", field, n), Reason.of("syntax.fix.port"));
        }
        return n;
    }

    private static String host(String entry, String value, String what, boolean wildcardAllowed) {
        if (value.isEmpty() || value.equals(WILDCARD)) {
            if (wildcardAllowed) {
                return WILDCARD;
            }
            Reason field = Reason.of("syntax.field." + what);
            throw error(entry, value.isEmpty() ? Reason.of("syntax.emptyField", field) : Reason.of("syntax.wildcard", field),
                    Reason.of("syntax.fix.host"));
        }
        if (value.startsWith("[")) {
            String inner = value.substring(1, value.length() - 1);
            if (!value.endsWith("]") || !Hosts.isIpv6(inner)) {
                throw error(entry, Reason.of("syntax.notIpv6", Reason.of("syntax.field." + what), Finding.quote(value)),
                        Reason.of("syntax.fix.ipv6"));
            }
            return inner.toLowerCase(Locale.ROOT);
        }
        if (value.length() > 253 || !Hosts.isValid(value)) {
            throw error(entry, Reason.of("syntax.notHost", Reason.of("syntax.field." + what), Finding.quote(value)),
                    Reason.of("syntax.fix.hostName"));
        }
        return value;
    }

    private static MappingSyntaxException error(String entry, Reason what, Reason fix) {
        return new MappingSyntaxException(Reason.of("syntax.entry", Finding.quote(entry.strip()), what, fix));
    }

    public MappingKind kind() {
        return kind;
    }

    /** The bind address as written: {@code null} when absent, {@link #WILDCARD} for every interface, IPv6 without brackets. */
    public String bindHost() {
        return bindHost;
    }

    /**
     * The address the listener binds to: for {@code L} and {@code D} on this machine
     * ({@code 127.0.0.1} when absent, {@code 0.0.0.0} for the wildcard); for {@code R} as asked of
     * the SSH server ({@code localhost} when absent, {@code *} for the wildcard).
     */
    public String effectiveBindHost() {
        if (bindHost == null) {
            return kind.listensHere() ? "127.0.0.1" : "localhost";
        }
        if (WILDCARD.equals(bindHost)) {
            return kind.listensHere() ? "0.0.0.0" : WILDCARD;
        }
        return bindHost;
    }

    public int bindPort() {
        return bindPort;
    }

    /**
     * The target host, IPv6 without brackets; resolved by the SSH server for {@code L}, by this
     * machine for {@code R}; {@code null} for {@code D}, whose clients name their targets.
     */
    public String targetHost() {
        return targetHost;
    }

    /** The target port; 0 for {@code D}. */
    public int targetPort() {
        return targetPort;
    }

    /** The label after {@code #}, or {@code null}. */
    public String label() {
        return label;
    }

    /**
     * Whether hosts other than the listening machine itself may use the mapping: a wildcard or
     * any non-loopback bind address. Such mappings are third-party access and are highlighted.
     */
    public boolean isGateway() {
        return bindHost != null && !isLoopback(bindHost);
    }

    /** Whether the host name or address denotes the loopback interface; see {@link Hosts#isLoopback(String)}. */
    public static boolean isLoopback(String host) {
        return Hosts.isLoopback(host);
    }

    /** The id of the service template the mapping was made from ({@code service=ID}), or {@code null}. */
    public String service() {
        return service;
    }

    /** The same mapping with another label. */
    public PortMapping withLabel(String newLabel) {
        return new PortMapping(kind, bindHost, bindPort, targetHost, targetPort, newLabel, service);
    }

    /** The same mapping with another service id ({@code null} for none). */
    public PortMapping withService(String newService) {
        return new PortMapping(kind, bindHost, bindPort, targetHost, targetPort, label, newService);
    }

    /** The same mapping bound to another port. */
    public PortMapping withBindPort(int newPort) {
        return new PortMapping(kind, bindHost, newPort, targetHost, targetPort, label, service);
    }

    /** What the mapping lets whom reach, in one sentence; see {@link MappingExplainer}. */
    public String explain(java.util.Locale locale) {
        return MappingExplainer.explain(this, locale);
    }

    /** The entry in the syntax {@link #parse(String)} reads, label included. */
    public String format() {
        StringBuilder b = new StringBuilder().append(kind).append(' ');
        if (bindHost != null) {
            b.append(bracket(bindHost)).append(':');
        }
        b.append(bindPort);
        if (kind != MappingKind.D) {
            b.append(':').append(bracket(targetHost)).append(':').append(targetPort);
        }
        if (service != null) {
            b.append(' ').append(SERVICE_OPTION).append(service);
        }
        if (label != null) {
            b.append(" # ").append(label);
        }
        return b.toString();
    }

    static String bracket(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** Equal when kind, addresses and ports are equal; the label and the service id do not count. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PortMapping)) {
            return false;
        }
        PortMapping m = (PortMapping) o;
        return kind == m.kind && bindPort == m.bindPort && targetPort == m.targetPort
                && Objects.equals(bindHost, m.bindHost)
                && (targetHost == null ? m.targetHost == null : targetHost.equalsIgnoreCase(m.targetHost));
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, bindHost, bindPort, targetHost == null ? null : targetHost.toLowerCase(Locale.ROOT), targetPort);
    }

    @Override
    public String toString() {
        return format();
    }
}
