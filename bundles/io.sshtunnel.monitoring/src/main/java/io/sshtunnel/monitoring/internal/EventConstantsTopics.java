package io.sshtunnel.monitoring.internal;

import io.sshtunnel.api.TunnelConstants;

/** Event Admin subscriptions as component properties. */
final class EventConstantsTopics {
    private EventConstantsTopics() {
    }

    /** Every tunnel state event. */
    static final String TUNNEL_TOPICS = "event.topics=" + TunnelConstants.TOPIC_TUNNEL_ALL;
}
