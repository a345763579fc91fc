package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/**
 * A value kept in a Kubernetes {@code Secret} of the resource's namespace (locally: a {@code kind: Secret} file in
 * the resources folder). Every credential field {@code X} may instead be {@code XSecretRef}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
    @JsonPropertyDescription("Name of the Secret, in the namespace of the resource that names it.")
    @Required
    private String name;
    @JsonPropertyDescription("Key of the value in the Secret's data.")
    @Required
    private String key;

    public SecretRef() {
    }

    public SecretRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return "Secret '" + name + "' key '" + key + "'";
    }
}
