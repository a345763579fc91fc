package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SecretRef;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How the HTTP ingress authenticates the sender of an event: exactly one of bearer, hmac or oidc. */
@ValidationRule(value = "[has(self.bearer), has(self.hmac), has(self.oidc)].filter(x, x).size() == 1",
        message = "set exactly one of bearer, hmac or oidc")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpAuthSpec {
    @JsonPropertyDescription("A shared token, sent as Authorization: Bearer <token>.")
    private Bearer bearer;
    @JsonPropertyDescription("An HMAC signature of the raw body in a header, as GitHub and most webhook senders make it.")
    private Hmac hmac;
    @JsonPropertyDescription("A JWT from an OpenID Connect issuer, sent as Authorization: Bearer <jwt>.")
    private Oidc oidc;

    public Bearer getBearer() {
        return bearer;
    }

    public void setBearer(Bearer bearer) {
        this.bearer = bearer;
    }

    public Hmac getHmac() {
        return hmac;
    }

    public void setHmac(Hmac hmac) {
        this.hmac = hmac;
    }

    public Oidc getOidc() {
        return oidc;
    }

    public void setOidc(Oidc oidc) {
        this.oidc = oidc;
    }

    /** {@code bearer}: the token is a Secret's value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Bearer {
        @JsonPropertyDescription("The Secret that holds the token.")
        @Required
        private SecretRef secretRef;

        public SecretRef getSecretRef() {
            return secretRef;
        }

        public void setSecretRef(SecretRef secretRef) {
            this.secretRef = secretRef;
        }
    }

    /** {@code hmac}: the signature of the raw body with a Secret's value as the key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Hmac {
        @JsonPropertyDescription("The Secret that holds the signing key.")
        @Required
        private SecretRef secretRef;
        @JsonPropertyDescription("Header that carries the signature; X-Hub-Signature-256 when absent.")
        private String header;
        @JsonPropertyDescription("Hash of the HMAC: sha256 (the default), sha1 or sha512.")
        private String algorithm;
        @JsonPropertyDescription("Text before the hex signature in the header; sha256= when absent, empty for none.")
        private String prefix;

        public SecretRef getSecretRef() {
            return secretRef;
        }

        public void setSecretRef(SecretRef secretRef) {
            this.secretRef = secretRef;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }

        public String getAlgorithm() {
            return algorithm;
        }

        public void setAlgorithm(String algorithm) {
            this.algorithm = algorithm;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }
    }

    /** {@code oidc}: a JWT signed by a key of the issuer's JWKS, for this audience. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Oidc {
        @JsonPropertyDescription("Expected iss claim.")
        @Required
        private String issuer;
        @JsonPropertyDescription("Expected aud claim.")
        @Required
        private String audience;
        @JsonPropertyDescription("URL of the issuer's JSON Web Key Set.")
        @Required
        private String jwksUri;

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getAudience() {
            return audience;
        }

        public void setAudience(String audience) {
            this.audience = audience;
        }

        public String getJwksUri() {
            return jwksUri;
        }

        public void setJwksUri(String jwksUri) {
            this.jwksUri = jwksUri;
        }
    }
}
