package io.sshtunnel.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelSpec;

/**
 * A tunnel as OpenSSH's client would run it: the {@code Host} blocks of {@code ~/.ssh/config}
 * (its jump hosts' first) and the equivalent {@code ssh} command line, so that an operator can
 * reproduce a problem by hand. Never a secret: a password or passphrase is not written, the key
 * file is named, and the pinned host key is given as its fingerprint to compare.
 */
final class OpenSshExport {
    private OpenSshExport() {
    }

    /**
     * @param tunnels the tunnels by name, for the jump hosts of {@code via}; a name it does not know ends the chain
     */
    static String export(TunnelSpec spec, Function<String, TunnelSpec> tunnels) {
        List<TunnelSpec> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (TunnelSpec s = spec; s != null && seen.add(s.name()) && seen.size() <= 16; s = s.via() == null ? null : tunnels.apply(s.via())) {
            chain.add(0, s);
        }
        StringBuilder b = new StringBuilder();
        b.append("# tunnel \"").append(spec.name()).append("\" for OpenSSH's client (~/.ssh/config); no secret is written here\n");
        for (TunnelSpec s : chain) {
            block(b, s);
        }
        b.append("\n# the same as one command line:\n").append(command(spec, chain)).append('\n');
        return b.toString();
    }

    private static void block(StringBuilder b, TunnelSpec s) {
        b.append("\nHost ").append(alias(s)).append('\n');
        line(b, "HostName", s.serverHost());
        line(b, "Port", String.valueOf(s.serverPort()));
        line(b, "User", s.username());
        if (s.privateKeyPath() != null) {
            line(b, "IdentityFile", s.privateKeyPath());
            line(b, "IdentitiesOnly", "yes");
        }
        if (s.via() != null) {
            line(b, "ProxyJump", alias(s.via()));
        } else if (s.proxy() != null) {
            line(b, "ProxyCommand", proxyCommand(s));
        }
        boolean gateway = false;
        for (PortMapping m : s.mappings()) {
            gateway |= m.isGateway() && m.kind() != MappingKind.R;
            switch (m.kind()) {
                case L:
                    line(b, "LocalForward", bind(m) + " " + target(m));
                    break;
                case R:
                    line(b, "RemoteForward", bind(m) + " " + target(m));
                    break;
                default:
                    line(b, "DynamicForward", bind(m));
            }
        }
        if (gateway) {
            line(b, "GatewayPorts", "yes");
        }
        line(b, "ServerAliveInterval", String.valueOf(s.keepaliveSeconds()));
        line(b, "ServerAliveCountMax", "3");
        line(b, "ConnectTimeout", String.valueOf(s.connectTimeoutSeconds()));
        line(b, "ExitOnForwardFailure", "yes");
        line(b, "StrictHostKeyChecking", "yes");
        if (s.fingerprint() != null) {
            b.append("    # the server's key must be ").append(s.fingerprint())
                    .append(" (compare: ssh-keyscan -p ").append(s.serverPort()).append(' ').append(s.serverHost())
                    .append(" | ssh-keygen -lf -)\n");
        }
        if (s.passwordSet()) {
            b.append("    # logs in with a password too: OpenSSH asks for it\n");
        }
    }

    private static String command(TunnelSpec spec, List<TunnelSpec> chain) {
        StringBuilder c = new StringBuilder("ssh -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=")
                .append(spec.keepaliveSeconds()).append(" -o ServerAliveCountMax=3");
        if (spec.serverPort() != 22) {
            c.append(" -p ").append(spec.serverPort());
        }
        if (spec.privateKeyPath() != null) {
            c.append(" -i ").append(quote(spec.privateKeyPath()));
        }
        if (chain.size() > 1) {
            List<String> hops = new ArrayList<>();
            for (TunnelSpec h : chain.subList(0, chain.size() - 1)) {
                hops.add((h.username() == null ? "" : h.username() + "@") + host(h.serverHost()) + ":" + h.serverPort());
            }
            c.append(" -J ").append(String.join(",", hops));
        } else if (spec.proxy() != null) {
            c.append(" -o ").append(quote("ProxyCommand=" + proxyCommand(spec)));
        }
        boolean gateway = false;
        for (PortMapping m : spec.mappings()) {
            gateway |= m.isGateway() && m.kind() != MappingKind.R;
            switch (m.kind()) {
                case L:
                    c.append(" -L ").append(bind(m)).append(':').append(target(m));
                    break;
                case R:
                    c.append(" -R ").append(bind(m)).append(':').append(target(m));
                    break;
                default:
                    c.append(" -D ").append(bind(m));
            }
        }
        if (gateway) {
            c.append(" -g");
        }
        return c.append(' ').append(spec.username() == null ? "" : spec.username() + "@").append(host(spec.serverHost())).toString();
    }

    /** The proxy as OpenSSH's ProxyCommand with netcat (Debian's netcat-openbsd): {@code -X connect} or {@code -X 5}. */
    private static String proxyCommand(TunnelSpec s) {
        String url = io.sshtunnel.common.Urls.withoutUserInfo(s.proxy());
        boolean socks = url.toLowerCase(java.util.Locale.ROOT).startsWith("socks5://");
        String hostPort = url.replaceFirst("(?i)^(http|socks5)://", "").replaceFirst("/$", "");
        return "nc -X " + (socks ? "5" : "connect") + " -x " + hostPort
                + (s.proxyUsername() == null ? "" : " -P " + s.proxyUsername()) + " %h %p";
    }

    private static String bind(PortMapping m) {
        String host = m.bindHost() == null ? (m.kind() == MappingKind.R ? "localhost" : "127.0.0.1")
                : PortMapping.WILDCARD.equals(m.bindHost()) ? "*" : host(m.bindHost());
        return host + ":" + m.bindPort();
    }

    private static String target(PortMapping m) {
        return host(m.targetHost()) + ":" + m.targetPort();
    }

    private static String host(String h) {
        return h != null && h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    private static String alias(TunnelSpec s) {
        return alias(s.name());
    }

    private static String alias(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void line(StringBuilder b, String key, String value) {
        if (value != null && !value.isBlank()) {
            // ProxyCommand and the forwards take the rest of the line as it is; a file with a space goes in quotes
            b.append("    ").append(key).append(' ').append(key.equals("IdentityFile") ? quote(value) : value).append('\n');
        }
    }

    private static String quote(String s) {
        return s.indexOf(' ') >= 0 || s.indexOf('%') >= 0 ? "\"" + s.replace("\"", "\\\"") + "\"" : s;
    }
}
