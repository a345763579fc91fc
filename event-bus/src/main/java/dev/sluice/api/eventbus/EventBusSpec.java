package dev.sluice.api.eventbus;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Exactly one binding: {@code kafka} or {@code dapr}. Unknown keys are kept so validation can name them. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EventBusSpec {
    private KafkaBusSpec kafka;
    private DaprBusSpec dapr;
    @JsonIgnore
    private final Map<String, Object> unknownFields = new LinkedHashMap<>();

    public KafkaBusSpec getKafka() {
        return kafka;
    }

    public void setKafka(KafkaBusSpec kafka) {
        this.kafka = kafka;
    }

    public DaprBusSpec getDapr() {
        return dapr;
    }

    public void setDapr(DaprBusSpec dapr) {
        this.dapr = dapr;
    }

    @JsonAnySetter
    public void setUnknownField(String name, Object value) {
        unknownFields.put(name, value);
    }

    @JsonAnyGetter
    public Map<String, Object> getUnknownFields() {
        return unknownFields;
    }
}
