package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;

/** TLS material for a source connection, as PEM text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
    private String caCert;
    private String clientCert;
    private String clientKey;
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
}
