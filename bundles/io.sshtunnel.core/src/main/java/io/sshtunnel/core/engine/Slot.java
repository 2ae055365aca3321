package io.sshtunnel.core.engine;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.core.ssh.ForwardHandle;
import io.sshtunnel.common.Reason;

/** One mapping of a running tunnel: its forward, its state, its retry. Touched only on the tunnel's serial executor. */
final class Slot {
    int index;
    PortMapping mapping;
    MappingState state = MappingState.PENDING;
    Reason reason;
    Instant since;
    ForwardHandle handle;
    /** The service object while the mapping is active. */
    Endpoint endpoint;
    ScheduledFuture<?> retry;
    final Backoff backoff;
    /** Its traffic since the slot was made (it stays while the mapping does, across reconnects). */
    final Traffic traffic = new Traffic();

    Slot(int index, PortMapping mapping, Instant now, Backoff backoff) {
        this.index = index;
        this.mapping = mapping;
        this.since = now;
        this.backoff = backoff;
    }

    /** Why the target did not answer the last probe while the mapping is active, or null. */
    String probeFailure;

    MappingStatus status() {
        Reason why = state == MappingState.ACTIVE ? Reason.literal(probeFailure) : reason;
        MappingStatus s = new MappingStatus(index, mapping, state, Reason.english(why), since, null);
        return why == null ? s : s.withTranslation(why::in);
    }

    /** Closes the forward and cancels the retry; the slot becomes PENDING. */
    void release(Instant now, Reason why) {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (handle != null) {
            handle.close();
            handle = null;
        }
        endpoint = null;
        probeFailure = null;
        if (state != MappingState.PENDING) {
            state = MappingState.PENDING;
            since = now;
        }
        reason = why;
        backoff.reset();
    }
}
