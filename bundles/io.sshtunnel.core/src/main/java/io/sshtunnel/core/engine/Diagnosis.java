package io.sshtunnel.core.engine;

import java.net.BindException;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;

/** Turns a failed forward into a reason an operator can act on. */
final class Diagnosis {
    private Diagnosis() {
    }

    static String mappingFailure(PortMapping m, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.kind() == MappingKind.R) {
            StringBuilder b = new StringBuilder("the SSH server refused to listen on ")
                    .append(m.effectiveBindHost()).append(':').append(m.bindPort())
                    .append(" (").append(detail).append("). Likely causes: the port is busy on the server, or still held by an")
                    .append(" earlier session of this tunnel until the server notices it is gone (set ClientAliveInterval in")
                    .append(" its sshd_config); AllowTcpForwarding or PermitListen forbid it");
            if (m.bindPort() < 1024) {
                b.append("; ports below 1024 need administrator rights on the server");
            }
            if (m.isGateway()) {
                b.append("; a gateway mapping needs GatewayPorts clientspecified (or yes)");
            }
            return b.toString();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                String msg = String.valueOf(t.getMessage());
                if (msg.contains("ermission")) {
                    return "cannot bind " + m.effectiveBindHost() + ":" + m.bindPort()
                            + " on this machine: ports below 1024 need root or CAP_NET_BIND_SERVICE (" + msg + ")";
                }
                return "local port " + m.effectiveBindHost() + ":" + m.bindPort()
                        + " is already in use on this machine (" + msg + "); retried until it is free";
            }
        }
        return "cannot open " + m.format() + ": " + detail;
    }
}
