package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SecretRef;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An MQTT topic (wildcards allowed) read as a source of events (OpenFunction's fields plus credentials). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MqttEventSpec {
    @JsonPropertyDescription("Broker URL, for example tcp://mosquitto:1883 or ssl://broker:8883.")
    @Required
    private String url;
    @JsonPropertyDescription("Topic filter to subscribe to; wildcards + and # allowed.")
    @Required
    private String topic;
    @JsonPropertyDescription("MQTT client id.")
    private String consumerID;
    @JsonPropertyDescription("Quality of service of the subscription: 0, 1 or 2.")
    @Min(0)
    @Max(2)
    private Integer qos;
    @JsonPropertyDescription("Accept retained messages.")
    private Boolean retain;
    @JsonPropertyDescription("Start with a clean session.")
    private Boolean cleanSession;
    @JsonPropertyDescription("PEM CA certificate that signs the broker's certificate.")
    private String caCert;
    @JsonPropertyDescription("PEM client certificate.")
    private String clientCert;
    @JsonPropertyDescription("PEM client private key.")
    private String clientKey;
    @JsonPropertyDescription("The PEM client private key from a Secret, instead of clientKey.")
    private SecretRef clientKeySecretRef;
    @JsonPropertyDescription("User name.")
    private String username;
    @JsonPropertyDescription("Password.")
    private String password;
    @JsonPropertyDescription("The password from a Secret, instead of password.")
    private SecretRef passwordSecretRef;
    @JsonPropertyDescription("MQTT protocol version: 3 or 4 for MQTT 3.1.1 (the default), 5 for MQTT 5.")
    @Min(3)
    @Max(5)
    private Integer protocolVersion;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getConsumerID() {
        return consumerID;
    }

    public void setConsumerID(String consumerID) {
        this.consumerID = consumerID;
    }

    public Integer getQos() {
        return qos;
    }

    public void setQos(Integer qos) {
        this.qos = qos;
    }

    public Boolean getRetain() {
        return retain;
    }

    public void setRetain(Boolean retain) {
        this.retain = retain;
    }

    public Boolean getCleanSession() {
        return cleanSession;
    }

    public void setCleanSession(Boolean cleanSession) {
        this.cleanSession = cleanSession;
    }

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

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** MQTT protocol: 3 or 4 for 3.1.1 (the default), 5 for MQTT 5. */
    public Integer getProtocolVersion() {
        return protocolVersion;
    }

    public void setProtocolVersion(Integer protocolVersion) {
        this.protocolVersion = protocolVersion;
    }

    public SecretRef getClientKeySecretRef() {
        return clientKeySecretRef;
    }

    public void setClientKeySecretRef(SecretRef clientKeySecretRef) {
        this.clientKeySecretRef = clientKeySecretRef;
    }

    public SecretRef getPasswordSecretRef() {
        return passwordSecretRef;
    }

    public void setPasswordSecretRef(SecretRef passwordSecretRef) {
        this.passwordSecretRef = passwordSecretRef;
    }
}
