package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** TLS material for a source connection, as PEM text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
    @JsonPropertyDescription("PEM CA certificate that signs the server's certificate.")
    private String caCert;
    @JsonPropertyDescription("PEM client certificate.")
    private String clientCert;
    @JsonPropertyDescription("PEM client private key.")
    private String clientKey;
    @JsonPropertyDescription("The PEM client private key from a Secret, instead of clientKey.")
    private SecretRef clientKeySecretRef;
    @JsonPropertyDescription("Do not verify the server's certificate (tests only).")
    private Boolean insecureSkipVerify;

    public String getCaCert() {
        return caCert;
    }

    public void setCaCert(String caCert) {
        this.caCert = caCert;
    }

    public String getClientCert() {
        return clientCert;
    }

    public void setClientCert(String clientCert) {
        this.clientCert = clientCert;
    }

    public String getClientKey() {
        return clientKey;
    }

    public void setClientKey(String clientKey) {
        this.clientKey = clientKey;
    }

    public Boolean getInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    public void setInsecureSkipVerify(Boolean insecureSkipVerify) {
        this.insecureSkipVerify = insecureSkipVerify;
    }

    public SecretRef getClientKeySecretRef() {
        return clientKeySecretRef;
    }

    public void setClientKeySecretRef(SecretRef clientKeySecretRef) {
        this.clientKeySecretRef = clientKeySecretRef;
    }
}
