package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SecretRef;
import dev.sluice.api.TlsSpec;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A Kafka topic read as a source of events (OpenFunction's fields plus consumer group, offset and TLS). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaEventSpec {
    @JsonPropertyDescription("Comma-separated bootstrap servers, host:port.")
    @Required
    private String brokers;
    @JsonPropertyDescription("Topic to read.")
    @Required
    private String topic;
    @JsonPropertyDescription("Authenticate with SASL using saslUsername and saslPassword.")
    private Boolean authRequired;
    @JsonPropertyDescription("SASL user name.")
    private String saslUsername;
    @JsonPropertyDescription("SASL password.")
    private String saslPassword;
    @JsonPropertyDescription("The SASL password from a Secret, instead of saslPassword.")
    private SecretRef saslPasswordSecretRef;
    @JsonPropertyDescription("Largest message accepted, in bytes.")
    @Min(1)
    private Integer maxMessageBytes;
    @JsonPropertyDescription("Consumer group whose offsets record what was read.")
    private String consumerGroup;
    @JsonPropertyDescription("Where a new consumer group starts: oldest or newest.")
    private String initialOffset;
    @JsonPropertyDescription("TLS material for the connection.")
    private TlsSpec tls;

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public Boolean getAuthRequired() {
        return authRequired;
    }

    public void setAuthRequired(Boolean authRequired) {
        this.authRequired = authRequired;
    }

    public String getSaslUsername() {
        return saslUsername;
    }

    public void setSaslUsername(String saslUsername) {
        this.saslUsername = saslUsername;
    }

    public String getSaslPassword() {
        return saslPassword;
    }

    public void setSaslPassword(String saslPassword) {
        this.saslPassword = saslPassword;
    }

    public Integer getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(Integer maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public String getInitialOffset() {
        return initialOffset;
    }

    public void setInitialOffset(String initialOffset) {
        this.initialOffset = initialOffset;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }

    public SecretRef getSaslPasswordSecretRef() {
        return saslPasswordSecretRef;
    }

    public void setSaslPasswordSecretRef(SecretRef saslPasswordSecretRef) {
        this.saslPasswordSecretRef = saslPasswordSecretRef;
    }
}
