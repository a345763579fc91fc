package dev.sluice.api.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One event of one EventSource; {@code namespace} defaults to the Trigger's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerInput {
    private String eventSource;
    private String event;
    private String namespace;

    public String getEventSource() {
        return eventSource;
    }

    public void setEventSource(String eventSource) {
        this.eventSource = eventSource;
    }

    public String getEvent() {
        return event;
    }

    public void setEvent(String event) {
        this.event = event;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
