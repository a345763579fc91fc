package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** OpenFunction's Trigger spec plus Sluice's {@code delivery} policy. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TriggerSpec {
    @JsonPropertyDescription("OpenFunction's log verbosity for this resource's Trigger: \"0\" or \"1\" INFO, \"2\" DEBUG, \"3\" TRACE, or a level name (WARN, INFO, DEBUG, TRACE); logged under the category dev.sluice.trigger.{namespace}.{name}.")
    private String logLevel;
    @JsonPropertyDescription("Name of the EventBus (or ClusterEventBus) to subscribe to; an EventBus in this namespace wins.")
    private String eventBus;
    @JsonPropertyDescription("Events this Trigger listens to, by input name; the names are the condition's variables.")
    private Map<String, TriggerInput> inputs = new LinkedHashMap<>();
    @JsonPropertyDescription("Where matching events go.")
    private List<Subscriber> subscribers = new ArrayList<>();
    @JsonPropertyDescription("Default delivery policy of every subscriber.")
    private DeliverySpec delivery;

    public String getLogLevel() {
        return logLevel;
    }

    public void setLogLevel(String logLevel) {
        this.logLevel = logLevel;
    }

    public String getEventBus() {
        return eventBus;
    }

    public void setEventBus(String eventBus) {
        this.eventBus = eventBus;
    }

    public Map<String, TriggerInput> getInputs() {
        return inputs;
    }

    public void setInputs(Map<String, TriggerInput> inputs) {
        this.inputs = inputs == null ? new LinkedHashMap<>() : inputs;
    }

    public List<Subscriber> getSubscribers() {
        return subscribers;
    }

    public void setSubscribers(List<Subscriber> subscribers) {
        this.subscribers = subscribers == null ? new ArrayList<>() : subscribers;
    }

    public DeliverySpec getDelivery() {
        return delivery;
    }

    public void setDelivery(DeliverySpec delivery) {
        this.delivery = delivery;
    }
}
