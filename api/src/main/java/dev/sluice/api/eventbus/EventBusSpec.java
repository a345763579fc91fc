package dev.sluice.api.eventbus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one binding: {@code kafka} or {@code dapr}. Unknown keys are kept so validation can name them. */
// The API server keeps unknown keys (a binding this build lacks) so that Sluice can name them in Ready=False.
@PreserveUnknownFields
@ValidationRule(value = "has(self.kafka) != has(self.dapr)", message = "set exactly one of spec.kafka or spec.dapr")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EventBusSpec {
    @JsonPropertyDescription("A Kafka cluster as the bus.")
    private KafkaBusSpec kafka;
    @JsonPropertyDescription("A Dapr pub/sub component as the bus.")
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

    /**
     * The names of the bindings this spec sets, known to this build or not, in the order written: a valid spec
     * sets exactly one. The bus layer finds the binding of each name by its {@code @Identifier}.
     */
    @JsonIgnore
    public List<String> bindingNames() {
        List<String> names = new ArrayList<>();
        if (kafka != null) {
            names.add("kafka");
        }
        if (dapr != null) {
            names.add("dapr");
        }
        names.addAll(unknownFields.keySet());
        return names;
    }
}
