package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;

/** An HTTP event: CloudEvents POSTed to {@code /{namespace}/{eventsource}/{event}}. No field is required. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpEventSpec {
    @JsonPropertyDescription("Largest accepted body in bytes; larger ones get 413. Defaults to sluice.http.max-body-bytes.")
    @Min(1)
    private Integer maxBodyBytes;
    @JsonPropertyDescription("Authenticate the sender: one of bearer, hmac or oidc. Anyone who reaches the ingress may post when absent.")
    private HttpAuthSpec auth;

    /** Largest accepted body; larger ones get 413. Defaults to {@code sluice.http.max-body-bytes}. */
    public Integer getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(Integer maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public HttpAuthSpec getAuth() {
        return auth;
    }

    public void setAuth(HttpAuthSpec auth) {
        this.auth = auth;
    }
}
