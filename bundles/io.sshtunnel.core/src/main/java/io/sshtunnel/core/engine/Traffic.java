package io.sshtunnel.core.engine;

import java.util.concurrent.atomic.LongAdder;

import io.sshtunnel.api.MappingCounters;

/**
 * The traffic of one mapping, counted on the data path: adders only (no lock, no allocation per
 * chunk), read by status queries from any thread.
 */
final class Traffic implements io.sshtunnel.core.ssh.ForwardCounter {
    final LongAdder toTarget = new LongAdder();
    final LongAdder fromTarget = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder open = new LongAdder();
    final LongAdder failed = new LongAdder();

    @Override
    public void opened() {
        connections.increment();
        open.increment();
    }

    @Override
    public void closed() {
        open.decrement();
    }

    @Override
    public void failed() {
        failed.increment();
    }

    @Override
    public void toTarget(long bytes) {
        toTarget.add(bytes);
    }

    @Override
    public void fromTarget(long bytes) {
        fromTarget.add(bytes);
    }

    MappingCounters snapshot() {
        return new MappingCounters(toTarget.sum(), fromTarget.sum(), connections.sum(), open.sum(), failed.sum());
    }
}
