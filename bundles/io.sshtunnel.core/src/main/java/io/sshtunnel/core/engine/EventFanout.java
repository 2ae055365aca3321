package io.sshtunnel.core.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands every event to each {@link TunnelEventSink} present; one failing sink never stops the others. */
final class EventFanout {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);

    private final List<TunnelEventSink> sinks = new CopyOnWriteArrayList<>();

    void add(TunnelEventSink sink) {
        sinks.add(sink);
    }

    void remove(TunnelEventSink sink) {
        sinks.remove(sink);
    }

    void post(String topic, Map<String, Object> properties) {
        for (TunnelEventSink s : sinks) {
            try {
                s.post(topic, properties);
            } catch (RuntimeException e) {
                LOG.debug("event sink failed", e);
            }
        }
    }
}
