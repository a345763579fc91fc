package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to another Kubernetes object, as in Knative's and OpenFunction's {@code sink.ref}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Reference {
    private String apiVersion;
    private String kind;
    private String name;
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
