package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** OpenFunction's Trigger spec plus Sluice's {@code delivery} policy. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TriggerSpec {
    private String eventBus;
    private Map<String, TriggerInput> inputs = new LinkedHashMap<>();
    private List<Subscriber> subscribers = new ArrayList<>();
    private DeliverySpec delivery;

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
