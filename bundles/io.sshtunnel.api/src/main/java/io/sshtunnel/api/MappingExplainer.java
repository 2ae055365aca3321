package io.sshtunnel.api;

import java.util.Locale;

/**
 * Says in one sentence who can connect where through a mapping and what they reach, as the
 * console's hover text, the shell and the JSON show it: in English, or in German for a German
 * locale. Gateway mappings always say that third parties can use them.
 */
public final class MappingExplainer {
    private MappingExplainer() {
    }

    /** The sentence for the mapping, in German for a locale whose language is {@code de}, else in English. */
    public static String explain(PortMapping m, Locale locale) {
        boolean de = locale != null && "de".equals(locale.getLanguage());
        switch (m.kind()) {
            case L:
                return local(m, de);
            case D:
                return dynamic(m, de);
            default:
                return remote(m, de);
        }
    }

    private static String dynamic(PortMapping m, boolean de) {
        String port = String.valueOf(m.bindPort());
        if (!m.isGateway()) {
            String at = PortMapping.bracket(m.effectiveBindHost()) + ":" + port;
            return de ? "Nur dieser Rechner erreicht über den SOCKS-Proxy unter " + at
                    + " jeden Host und Port, den der SSH-Server erreicht."
                    : "Only this machine can reach every host and port the SSH server reaches, through the SOCKS proxy at "
                    + at + ".";
        }
        String who = PortMapping.WILDCARD.equals(m.bindHost()) ? null : PortMapping.bracket(m.bindHost());
        return de ? (who == null ? "Dieser Rechner und jeder Host, der ihn erreicht, kann den SOCKS-Proxy an Port " + port
                + " dieses Rechners nutzen" : "Dieser Rechner und jeder Host, der " + who + " erreicht, kann den SOCKS-Proxy unter "
                + who + ":" + port + " nutzen") + " und erreicht so jeden Host und Port, den der SSH-Server erreicht: Dritte können das nutzen."
                : (who == null ? "This machine and every host that can reach it can use the SOCKS proxy on port " + port
                        + " of this machine" : "This machine and every host that can reach " + who + " can use the SOCKS proxy at "
                        + who + ":" + port) + " and reach every host and port the SSH server reaches: third parties can use this.";
    }

    private static String local(PortMapping m, boolean de) {
        String port = String.valueOf(m.bindPort());
        String target = Hosts.isLoopback(m.targetHost())
                ? (de ? "Port " + m.targetPort() + " des SSH-Servers selbst" : "port " + m.targetPort() + " on the SSH server itself")
                : PortMapping.bracket(m.targetHost()) + ":" + m.targetPort();
        if (!m.isGateway()) {
            String at = PortMapping.bracket(m.effectiveBindHost()) + ":" + port;
            return de ? "Nur dieser Rechner erreicht " + target + " über den SSH-Server, unter " + at + "."
                    : "Only this machine can reach " + target + ", through the SSH server, at " + at + ".";
        }
        if (PortMapping.WILDCARD.equals(m.bindHost())) {
            return de ? "Dieser Rechner und jeder Host, der ihn erreicht, kann sich mit Port " + port
                    + " dieses Rechners verbinden und erreicht so " + target + " über den SSH-Server: Dritte können das nutzen."
                    : "This machine and every host that can reach it can connect to port " + port
                    + " on this machine and reach " + target + " through the SSH server: third parties can use this.";
        }
        String address = PortMapping.bracket(m.bindHost());
        return de ? "Dieser Rechner und jeder Host, der " + address + " erreicht, kann sich mit " + address + ":" + port
                + " verbinden und erreicht so " + target + " über den SSH-Server: Dritte können das nutzen."
                : "This machine and every host that can reach " + address + " can connect to " + address + ":" + port
                + " and reach " + target + " through the SSH server: third parties can use this.";
    }

    private static String remote(PortMapping m, boolean de) {
        String port = String.valueOf(m.bindPort());
        String target = Hosts.isLoopback(m.targetHost())
                ? (de ? "Port " + m.targetPort() + " dieses Rechners" : "port " + m.targetPort() + " on this machine")
                : (de ? PortMapping.bracket(m.targetHost()) + ":" + m.targetPort() + " über diesen Rechner"
                        : PortMapping.bracket(m.targetHost()) + ":" + m.targetPort() + " through this machine");
        if (!m.isGateway()) {
            return de ? "Nur der SSH-Server selbst kann sich mit seinem Port " + port + " verbinden und erreicht so " + target + "."
                    : "Only the SSH server itself can connect to its port " + port + " and reach " + target + ".";
        }
        if (PortMapping.WILDCARD.equals(m.bindHost())) {
            return de ? "Der SSH-Server und jeder Host, der ihn erreicht, kann sich mit Port " + port
                    + " des SSH-Servers verbinden und erreicht so " + target + ": Dritte können das nutzen."
                    : "The SSH server and every host that can reach it can connect to port " + port
                    + " on the SSH server and reach " + target + ": third parties can use this.";
        }
        String address = PortMapping.bracket(m.bindHost());
        return de ? "Der SSH-Server und jeder Host, der " + address + " erreicht, kann sich mit " + address + ":" + port
                + " auf dem SSH-Server verbinden und erreicht so " + target + ": Dritte können das nutzen."
                : "The SSH server and every host that can reach " + address + " can connect to " + address + ":" + port
                + " on the SSH server and reach " + target + ": third parties can use this.";
    }
}
