package dev.sluice.api.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** One event of one EventSource; {@code namespace} defaults to the Trigger's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerInput {
    @JsonPropertyDescription("Name of the EventSource.")
    @Required
    private String eventSource;
    @JsonPropertyDescription("Name of the event in that EventSource.")
    @Required
    private String event;
    @JsonPropertyDescription("Namespace of the EventSource; defaults to the Trigger's.")
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
