package io.sshtunnel.shell.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.sshd.client.config.hosts.HostConfigEntry;

import io.sshtunnel.api.TunnelRequest;

/**
 * Tunnels from an OpenSSH client configuration ({@code ~/.ssh/config} or a pasted {@code Host}
 * block), read with Apache MINA SSHD's own parser: {@code HostName}, {@code Port}, {@code User},
 * {@code IdentityFile}, {@code LocalForward}, {@code RemoteForward}, {@code DynamicForward},
 * {@code GatewayPorts}, {@code ProxyJump} (a {@code Host} of the same file, or a tunnel, as
 * {@code via}), {@code ServerAliveInterval}, {@code ConnectTimeout}. Every other option is listed
 * as not taken, never dropped in silence.
 */
final class OpenSshImport {
    /** Options taken; the keys are compared without case, as OpenSSH does. */
    static final Set<String> TAKEN = Set.of("host", "hostname", "port", "user", "identityfile", "identitiesonly", "localforward",
            "remoteforward", "dynamicforward", "gatewayports", "proxyjump", "serveraliveinterval", "serveralivecountmax",
            "connecttimeout");

    private OpenSshImport() {
    }

    /** One Host block as a tunnel: the request, and what of the block was not taken (each with why). */
    static final class Imported {
        final String host;
        final TunnelRequest request;
        final List<String> notTaken;

        Imported(String host, TunnelRequest request, List<String> notTaken) {
            this.host = host;
            this.request = request;
            this.notTaken = notTaken;
        }
    }

    static List<Imported> read(Path file, Collection<String> hosts) throws IOException {
        return read(java.nio.file.Files.readString(file), hosts);
    }

    static List<Imported> read(String text, Collection<String> hosts) throws IOException {
        return convert(HostConfigEntry.readHostConfigEntries(new StringReader(numberForwards(text)), true), hosts);
    }

    private static final java.util.regex.Pattern FORWARD = java.util.regex.Pattern.compile(
            "(?im)^(\\s*)(LocalForward|RemoteForward|DynamicForward)(\\s*=\\s*|\\s+)");

    /**
     * MINA's parser keeps the last value of an option it does not know, and a Host block may have
     * many forwards: each forward line gets a key of its own ({@code LocalForward_1}, ...) first.
     */
    static String numberForwards(String text) {
        java.util.regex.Matcher m = FORWARD.matcher(text);
        StringBuilder out = new StringBuilder();
        int n = 0;
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1) + m.group(2) + "_" + (++n) + " "));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The values of the numbered forward lines of one kind, in the order written. */
    private static List<String> forwardLines(Map<String, String> p, String kind) {
        java.util.TreeMap<Integer, String> byNumber = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(kind.toLowerCase(Locale.ROOT) + "_")) {
                byNumber.put(Integer.parseInt(e.getKey().substring(kind.length() + 1)), e.getValue());
            }
        }
        return new ArrayList<>(byNumber.values());
    }

    private static List<Imported> convert(List<HostConfigEntry> entries, Collection<String> hosts) {
        List<Imported> out = new ArrayList<>();
        for (HostConfigEntry e : entries) {
            String host = e.getHost();
            boolean pattern = host == null || host.contains("*") || host.contains("?") || host.contains(",") || host.contains("!");
            if (pattern || !hosts.isEmpty() && !hosts.contains(host)) {
                continue; // patterns (Host *) are defaults for many hosts, not a tunnel of their own
            }
            out.add(convert(host, e));
        }
        return out;
    }

    private static Imported convert(String host, HostConfigEntry e) {
        Map<String, String> p = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        p.putAll(e.getProperties());
        List<String> notTaken = new ArrayList<>();
        for (String key : new TreeSet<>(p.keySet())) {
            if (!TAKEN.contains(key.toLowerCase(Locale.ROOT).replaceFirst("_\\d+$", ""))) {
                notTaken.add(key + " " + p.get(key) + " (not a setting of a tunnel)");
            }
        }
        boolean gateway = "yes".equalsIgnoreCase(p.get("GatewayPorts"));
        List<String> mappings = new ArrayList<>();
        for (String f : forwardLines(p, "LocalForward")) {
            forwards(f, "L", gateway, mappings, notTaken);
        }
        for (String f : forwardLines(p, "RemoteForward")) {
            forwards(f, "R", false, mappings, notTaken);
        }
        for (String d : forwardLines(p, "DynamicForward")) {
            if (!d.isBlank()) {
                mappings.add("D " + bind(d.strip(), gateway));
            }
        }
        List<io.sshtunnel.api.PortMapping> readable = new ArrayList<>();
        for (String m : mappings) {
            try {
                readable.add(io.sshtunnel.api.PortMapping.parse(m));
            } catch (IllegalArgumentException ex) {
                notTaken.add("a forward read as " + m + " (" + ex.getMessage() + ")");
            }
        }
        TunnelRequest.Builder b = TunnelRequest.builder(host)
                .server(e.getHostName() == null || e.getHostName().isBlank() ? host : e.getHostName(), e.getPort() > 0 ? e.getPort() : 22)
                .username(e.getUsername())
                .mappings(readable);
        Collection<String> ids = e.getIdentities();
        if (ids != null && !ids.isEmpty()) {
            String first = ids.iterator().next();
            b.privateKey(first.startsWith("~/") ? System.getProperty("user.home") + first.substring(1) : first, null);
            if (ids.size() > 1) {
                notTaken.add("IdentityFile " + String.join(", ", ids) + " (only the first is taken: " + first + ")");
            }
        }
        String jump = e.getProxyJump();
        if (jump != null && !jump.isBlank() && !"none".equalsIgnoreCase(jump)) {
            if (jump.contains(",") || jump.contains("@") || jump.contains(":")) {
                notTaken.add("ProxyJump " + jump + " (only the name of one Host block or tunnel is taken: import the jump host"
                        + " as a Host of its own and name it)");
            } else {
                b.via(jump);
            }
        }
        integer(p.get("ServerAliveInterval"), "ServerAliveInterval", notTaken).ifPresent(b::keepaliveSeconds);
        integer(p.get("ConnectTimeout"), "ConnectTimeout", notTaken).ifPresent(b::connectTimeoutSeconds);
        String count = p.get("ServerAliveCountMax");
        if (count != null && !"3".equals(count.strip())) {
            notTaken.add("ServerAliveCountMax " + count + " (a tunnel gives up after 3 intervals without a reply)");
        }
        return new Imported(host, b.build(), notTaken);
    }

    /** MINA joins a forward's two values and repeated lines with commas: taken in pairs. */
    private static void forwards(String joined, String kind, boolean gateway, List<String> mappings, List<String> notTaken) {
        if (joined == null) {
            return;
        }
        String[] v = joined.split(",");
        for (int i = 0; i + 1 < v.length; i += 2) {
            String listen = v[i].strip();
            String target = v[i + 1].strip();
            mappings.add(kind + " " + bind(listen, gateway) + ":" + target);
        }
        if (v.length % 2 != 0) {
            notTaken.add((kind.equals("L") ? "LocalForward " : "RemoteForward ") + v[v.length - 1] + " (no target)");
        }
    }

    /** {@code 1389} or {@code addr:1389}; with GatewayPorts yes a port without an address listens on every interface. */
    private static String bind(String listen, boolean gateway) {
        return gateway && listen.matches("\\d+") ? "*:" + listen : listen;
    }

    private static java.util.Optional<Integer> integer(String v, String key, List<String> notTaken) {
        if (v == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Integer.parseInt(v.strip()));
        } catch (NumberFormatException ex) {
            notTaken.add(key + " " + v + " (not a number)");
            return java.util.Optional.empty();
        }
    }
}
