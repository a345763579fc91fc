package dev.sluice.api.trigger;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.api.SinkSpec;

/**
 * Where matching events go: a sync function ({@code sink}) or an async function's {@code topic}, with a
 * dead letter for each. {@code filters}, {@code window}, {@code replyTopic} and {@code delivery} are Sluice's additions.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Subscriber {
    private String condition;
    private SinkSpec sink;
    private SinkSpec deadLetterSink;
    private String topic;
    private String deadLetterTopic;
    private List<Filter> filters = new ArrayList<>();
    private String window;
    private String replyTopic;
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
