package io.sshtunnel.api;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Host names and addresses as the configuration accepts them: a DNS name, an IPv4 address, or an
 * IPv6 address (in brackets, or bare where no port follows). Checked by syntax only, never by a
 * DNS lookup.
 */
public final class Hosts {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Framework property: the address the HTTP service (console, health, metrics) is bound to. */
    public static final String HTTP_HOST_PROPERTY = "org.apache.felix.http.host";
    /** Framework property: further host names the console, health and metrics answer to, comma-separated. */
    public static final String EXTRA_HOSTS_PROPERTY = "io.sshtunnel.webconsole.hosts";

    private Hosts() {
    }

    /** Whether the text is a host name, an IPv4 address, or an IPv6 address with or without brackets. */
    public static boolean isValid(String host) {
        if (host == null) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1)); // brackets hold an IPv6 address, nothing else
        }
        return host.indexOf(':') >= 0 ? isIpv6(host) : HOST_NAME.matcher(host).matches();
    }

    /** Whether the text (without brackets) is an IPv6 address, optionally with an IPv4 tail and a {@code %zone}. */
    public static boolean isIpv6(String text) {
        int percent = text.indexOf('%');
        if (percent >= 0 && !ZONE.matcher(text.substring(percent + 1)).matches()) {
            return false;
        }
        String a = percent < 0 ? text : text.substring(0, percent);
        int lastColon = a.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        if (a.indexOf('.') >= 0) {
            if (!IPV4.matcher(a.substring(lastColon + 1)).matches()) {
                return false;
            }
            a = a.substring(0, lastColon + 1) + "0:0"; // the IPv4 address counts as two groups
        }
        int gap = a.indexOf("::");
        if (gap < 0) {
            return hexGroups(a) == 8;
        }
        if (a.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String left = a.substring(0, gap);
        String right = a.substring(gap + 2);
        int l = left.isEmpty() ? 0 : hexGroups(left);
        int r = right.isEmpty() ? 0 : hexGroups(right);
        return l >= 0 && r >= 0 && l + r <= 7;
    }

    /**
     * Whether the host name or address denotes the loopback interface: {@code localhost}, an IPv4
     * address in 127.0.0.0/8 or {@code ::1}. A name that merely starts with {@code 127.} (such as
     * {@code 127.example.org}) is a DNS name like any other and may point anywhere.
     */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || (h.startsWith("127.") && IPV4.matcher(h).matches()) || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    /**
     * The host names an HTTP endpoint bound to {@code bound} answers to, against DNS rebinding (a
     * page of another site whose name is made to point at this machine): the bound address itself,
     * for a loopback address also {@code localhost}, {@code 127.0.0.1} and {@code [::1]}, and the
     * comma-separated {@code extra} names. {@code null} (any name) when it listens on every interface.
     * Exact names and literal addresses only; IPv6 addresses in brackets, all in lower case.
     */
    public static Set<String> allowedHostHeaders(String bound, String extra) {
        String b = bound == null ? "" : bound.strip().toLowerCase(Locale.ROOT);
        if (b.isEmpty() || b.equals("0.0.0.0") || b.equals("::") || b.equals("[::]") || b.equals("*")) {
            return null;
        }
        Set<String> names = new HashSet<>();
        names.add(b.startsWith("[") ? b : b.indexOf(':') >= 0 ? "[" + b + "]" : b);
        if (isLoopback(b)) {
            names.addAll(Set.of("localhost", "127.0.0.1", "[::1]"));
        }
        if (extra != null) {
            for (String n : extra.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Set.copyOf(names);
    }

    /**
     * Whether a request's {@code Host} header names one of {@code allowed} ({@code null}: any); an
     * IPv4 loopback address other than 127.0.0.1 counts as 127.0.0.1.
     */
    public static boolean hostHeaderAllowed(Set<String> allowed, String hostHeader) {
        if (allowed == null) {
            return true;
        }
        String host = hostOfHeader(hostHeader);
        return allowed.contains(host) || (IPV4.matcher(host).matches() && isLoopback(host) && allowed.contains("127.0.0.1"));
    }

    /** The host name of a {@code Host} header, without the port, in lower case; IPv6 in brackets. */
    public static String hostOfHeader(String header) {
        if (header == null) {
            return "";
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static int hexGroups(String s) {
        String[] groups = s.split(":", -1);
        for (String g : groups) {
            if (!HEX_GROUP.matcher(g).matches()) {
                return -1;
            }
        }
        return groups.length;
    }

}
