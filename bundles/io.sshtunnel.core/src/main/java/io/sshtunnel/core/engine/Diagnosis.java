package io.sshtunnel.core.engine;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;

import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.common.Reason;

/** Turns a failed forward into a reason an operator can act on. */
final class Diagnosis {
    private Diagnosis() {
    }

    static Reason mappingFailure(PortMapping m, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String at = m.effectiveBindHost() + ":" + m.bindPort();
        if (m.kind() == MappingKind.R) {
            List<Reason> parts = new ArrayList<>();
            parts.add(Reason.of("reason.mapping.remoteRefused", at, detail));
            if (m.bindPort() < 1024) {
                parts.add(Reason.of("reason.mapping.remotePrivileged"));
            }
            if (m.isGateway()) {
                parts.add(Reason.of("reason.mapping.remoteGateway"));
            }
            return Reason.join("; ", parts);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                String msg = String.valueOf(t.getMessage());
                if (msg.contains("ermission")) {
                    return Reason.of("reason.mapping.localPrivileged", at, msg);
                }
                return Reason.of("reason.mapping.localInUse", at, msg);
            }
        }
        return Reason.of("reason.mapping.cannotOpen", m.format(), detail);
    }
}
