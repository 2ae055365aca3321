package io.sshtunnel.core.engine;

import java.util.Map;

/**
 * Where the engine sends its events. Kept apart from Event Admin so that the engine runs, and
 * this bundle resolves, without it; {@link EventAdminSink} bridges to Event Admin when present.
 */
public interface TunnelEventSink {
    void post(String topic, Map<String, Object> properties);
}
