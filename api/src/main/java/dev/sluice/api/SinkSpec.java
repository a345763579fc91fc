package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a sync function lives: a {@code uri}, or a {@code ref} to an addressable object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SinkSpec {
    /**
     * The kind of destination a {@code sink} (by {@code uri}, or by a {@code ref} resolved to one) is: the name of
     * the sink type that serves it.
     */
    public static final String URI = "uri";
    /** The kind of destination {@code topic}, {@code deadLetterTopic} and {@code replyTopic} are: a bus topic. */
    public static final String TOPIC = "topic";
    @JsonPropertyDescription("Absolute URL of the function; the CloudEvent is POSTed to it.")
    private String uri;
    @JsonPropertyDescription("An addressable object (Service, Knative Service, OpenFunction Function) whose address is resolved.")
    private Reference ref;

    public SinkSpec() {
    }

    public SinkSpec(String uri) {
        this.uri = uri;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public Reference getRef() {
        return ref;
    }

    public void setRef(Reference ref) {
        this.ref = ref;
    }
}
