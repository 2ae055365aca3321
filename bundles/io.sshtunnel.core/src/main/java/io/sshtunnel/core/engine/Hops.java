package io.sshtunnel.core.engine;

import io.sshtunnel.api.TunnelState;
import io.sshtunnel.common.Reason;
import io.sshtunnel.core.ssh.SshLink;

/** The tunnels a tunnel's connection may pass through ({@code via}), as the engine knows them. */
interface Hops {
    Hops NONE = new Hops() {
        @Override
        public Hop find(String name) {
            return null;
        }

        @Override
        public void changed(String name, TunnelState state) {
        }
    };

    /** The tunnel of that name: its state, why, and its connection while it is up; null when there is none. */
    Hop find(String name);

    /** The tunnel of that name changed its state: the tunnels that pass through it follow. */
    void changed(String name, TunnelState state);

    /** What a tunnel passing through another needs of it. */
    final class Hop {
        final TunnelState state;
        final Reason reason;
        /** Its open connection while it is UP or DEGRADED; null otherwise. */
        final SshLink link;

        Hop(TunnelState state, Reason reason, SshLink link) {
            this.state = state;
            this.reason = reason;
            this.link = link;
        }
    }
}
