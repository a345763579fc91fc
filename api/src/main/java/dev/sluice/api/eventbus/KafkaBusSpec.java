package dev.sluice.api.eventbus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SecretRef;
import io.fabric8.generator.annotation.Min;

/** A Kafka cluster as the bus. Locally, no {@code brokers} means the embedded broker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaBusSpec {
    @JsonPropertyDescription("Comma-separated bootstrap servers, host:port. Locally, absent means the embedded broker.")
    private String brokers;
    @JsonPropertyDescription("Authenticate with SASL using saslUsername and saslPassword.")
    private Boolean authRequired;
    @JsonPropertyDescription("SASL user name.")
    private String saslUsername;
    @JsonPropertyDescription("SASL password.")
    private String saslPassword;
    @JsonPropertyDescription("The SASL password from a Secret, instead of saslPassword.")
    private SecretRef saslPasswordSecretRef;
    @JsonPropertyDescription("Partitions of each topic Sluice creates; the broker's default when absent.")
    @Min(1)
    private Integer partitions;
    @JsonPropertyDescription("Replication factor of each topic Sluice creates; the broker's default when absent.")
    @Min(1)
    private Integer replication;

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
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

    /** Partitions of each topic Sluice creates; the broker's default when absent. */
    public Integer getPartitions() {
        return partitions;
    }

    public void setPartitions(Integer partitions) {
        this.partitions = partitions;
    }

    /** Replication factor of each topic Sluice creates; the broker's default when absent. */
    public Integer getReplication() {
        return replication;
    }

    public void setReplication(Integer replication) {
        this.replication = replication;
    }

    public SecretRef getSaslPasswordSecretRef() {
        return saslPasswordSecretRef;
    }

    public void setSaslPasswordSecretRef(SecretRef saslPasswordSecretRef) {
        this.saslPasswordSecretRef = saslPasswordSecretRef;
    }
}
