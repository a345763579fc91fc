package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.api.SinkSpec;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.generator.annotation.Pattern;

/**
 * Where matching events go: a sync function ({@code sink}) or an async function's {@code topic}, with a
 * dead letter for each. {@code filters}, {@code window}, {@code replyTopic} and {@code delivery} are Sluice's additions.
 */
// A CRD schema cannot recurse: nested filters (all, any, not) are checked by Sluice, not by the schema.
@SchemaSwap(originalType = Filter.class, fieldName = "all", targetType = JsonNode.class, depth = 0)
@SchemaSwap(originalType = Filter.class, fieldName = "any", targetType = JsonNode.class, depth = 0)
@SchemaSwap(originalType = Filter.class, fieldName = "not", targetType = JsonNode.class, depth = 0)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Subscriber {
    @JsonPropertyDescription("CEL over the input names (bool), event and inputs; empty means any input.")
    private String condition;
    @JsonPropertyDescription("Sync function that matching events are POSTed to.")
    private SinkSpec sink;
    @JsonPropertyDescription("Where events go that the sink refused or that failed after the retries.")
    private SinkSpec deadLetterSink;
    @JsonPropertyDescription("Bus topic that matching events are published to (async function).")
    private String topic;
    @JsonPropertyDescription("Bus topic for events that failed after the retries.")
    private String deadLetterTopic;
    @JsonPropertyDescription("Knative-style filters, all of which must match before the condition is evaluated.")
    private List<Filter> filters = new ArrayList<>();
    @JsonPropertyDescription("How long an input's event is held for correlation: ISO-8601 or 500ms, 60s, 1m; default 60s.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h)|P.*)$")
    private String window;
    @JsonPropertyDescription("Bus topic that the sink's reply events are published to.")
    private String replyTopic;
    @JsonPropertyDescription("Delivery policy of this subscriber; wins over the Trigger's.")
    private DeliverySpec delivery;

    public String getCondition() {
        return condition;
    }

    public void setCondition(String condition) {
        this.condition = condition;
    }

    public SinkSpec getSink() {
        return sink;
    }

    public void setSink(SinkSpec sink) {
        this.sink = sink;
    }

    public SinkSpec getDeadLetterSink() {
        return deadLetterSink;
    }

    public void setDeadLetterSink(SinkSpec deadLetterSink) {
        this.deadLetterSink = deadLetterSink;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public List<Filter> getFilters() {
        return filters;
    }

    public void setFilters(List<Filter> filters) {
        this.filters = filters == null ? new ArrayList<>() : filters;
    }

    /** How long an input's event is held for correlation; default 60 s. */
    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public String getReplyTopic() {
        return replyTopic;
    }

    public void setReplyTopic(String replyTopic) {
        this.replyTopic = replyTopic;
    }

    public DeliverySpec getDelivery() {
        return delivery;
    }

    public void setDelivery(DeliverySpec delivery) {
        this.delivery = delivery;
    }
}
