package io.sshtunnel.core.engine;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Posts the engine's events asynchronously to Event Admin; exists only while Event Admin does. */
@Component(service = TunnelEventSink.class)
public final class EventAdminSink implements TunnelEventSink {
    private final EventAdmin eventAdmin;

    @Activate
    public EventAdminSink(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        eventAdmin.postEvent(new Event(topic, properties));
    }
}
