package dev.sluice.api.eventbus;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** A Dapr pub/sub component, reached through the sidecar. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DaprBusSpec {
    @JsonPropertyDescription("Name of the Dapr pub/sub component to publish to and subscribe from through the sidecar.")
    @Required
    private String pubsubName;
    @JsonPropertyDescription("Metadata passed with every publish to the component.")
    private Map<String, String> metadata = new LinkedHashMap<>();

    public String getPubsubName() {
        return pubsubName;
    }

    public void setPubsubName(String pubsubName) {
        this.pubsubName = pubsubName;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata == null ? new LinkedHashMap<>() : metadata;
    }
}
