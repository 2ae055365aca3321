package io.sshtunnel.validation.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container's own administration ports on this machine, so that an {@code R} mapping that
 * would hand one of them to the SSH server's side is flagged: the Gogo telnet shell (no password:
 * whoever reaches it runs code) and the HTTP port of the Web Console (asks for a password, but is
 * then the whole container). Read from the framework properties that open them.
 */
final class AdminPorts {
    /** What listens on a port, and whether it asks for a password. */
    static final class Service {
        final String name;
        final boolean passwordProtected;

        Service(String name, boolean passwordProtected) {
            this.name = name;
            this.passwordProtected = passwordProtected;
        }
    }

    static final AdminPorts NONE = new AdminPorts(Map.of());
    private static final Pattern TELNETD_PORT = Pattern.compile("telnetd\\b[^\"]*?(?:--port=|-p\\s*)(\\d{1,5})");
    private static final Pattern TELNETD = Pattern.compile("telnetd\\b[^\"]*\\bstart\\b");

    private final Map<Integer, Service> ports;

    AdminPorts(Map<Integer, Service> ports) {
        this.ports = Map.copyOf(ports);
    }

    /** From the framework properties: {@code gosh.args} (telnetd), {@code org.osgi.service.http.port}. */
    static AdminPorts of(UnaryOperator<String> property) {
        Map<Integer, Service> found = new TreeMap<>();
        String gosh = property.apply("gosh.args");
        if (gosh != null && TELNETD.matcher(gosh).find()) {
            Matcher m = TELNETD_PORT.matcher(gosh);
            found.put(m.find() ? Integer.parseInt(m.group(1)) : 2019, new Service("the Gogo telnet shell", false));
        }
        String http = property.apply("org.osgi.service.http.port");
        if (http != null && http.strip().matches("\\d{1,5}")) {
            found.put(Integer.parseInt(http.strip()), new Service("the Web Console (HTTP)", true));
        }
        return new AdminPorts(found);
    }

    /** The admin service on this machine's port, or null. */
    Service at(int port) {
        return ports.get(port);
    }
}
