package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** A reference to another Kubernetes object, as in Knative's and OpenFunction's {@code sink.ref}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Reference {
    @JsonPropertyDescription("API version of the referenced object, for example serving.knative.dev/v1 or v1.")
    private String apiVersion;
    @JsonPropertyDescription("Kind of the referenced object, for example Service or Function.")
    private String kind;
    @JsonPropertyDescription("Name of the referenced object.")
    @Required
    private String name;
    @JsonPropertyDescription("Namespace of the referenced object; defaults to the referring resource's.")
    private String namespace;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
