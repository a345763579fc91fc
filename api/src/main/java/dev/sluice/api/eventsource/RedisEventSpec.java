package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SecretRef;
import io.fabric8.generator.annotation.Required;

/**
 * A Redis stream (consumer group, at least once) or pub/sub channel (at most once) read as a source of events:
 * OpenFunction's RedisSpec field names where they apply, plus {@code stream}, {@code consumerGroup} and
 * {@code channel}. OpenFunction's cluster, sentinel and pool fields are kept so that Sluice can refuse them by name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisEventSpec {
    @JsonPropertyDescription("Address of the Redis server, host:port, for example redis:6379.")
    @Required
    private String redisHost;
    @JsonPropertyDescription("Password of the Redis server.")
    private String redisPassword;
    @JsonPropertyDescription("The password from a Secret, instead of redisPassword.")
    private SecretRef redisPasswordSecretRef;
    @JsonPropertyDescription("Connect with TLS (the JVM's trust store).")
    private Boolean enableTLS;
    @JsonPropertyDescription("Database index; 0 when absent.")
    private Integer redisDB;
    @JsonPropertyDescription("Stream to read with a consumer group (XREADGROUP, XACK after the bus acknowledged: at least once). Set stream or channel.")
    private String stream;
    @JsonPropertyDescription("Consumer group of the stream, created at the end of the stream when missing; sluice-{namespace}-{eventsource}-{event} when absent.")
    private String consumerGroup;
    @JsonPropertyDescription("Pub/sub channel to subscribe to (SUBSCRIBE: at most once, Redis keeps nothing for a subscriber that is away). Set stream or channel.")
    private String channel;
    @JsonPropertyDescription("How long an entry may stay unacknowledged with another consumer before this one reclaims it (XAUTOCLAIM); 60s when absent.")
    private String redeliverInterval;
    @JsonPropertyDescription("Timeout to establish a connection; 5s when absent.")
    private String dialTimeout;
    @JsonPropertyDescription("OpenFunction's: node or cluster; only node is served.")
    private String redisType;
    @JsonPropertyDescription("OpenFunction's sentinel failover; refused (one node only).")
    private Boolean failover;
    @JsonPropertyDescription("OpenFunction's sentinel master name; refused (one node only).")
    private String sentinelMasterName;
    @JsonPropertyDescription("OpenFunction's connection pool size; refused (one connection per event).")
    private Long poolSize;

    public String getRedisHost() {
        return redisHost;
    }

    public void setRedisHost(String redisHost) {
        this.redisHost = redisHost;
    }

    public String getRedisPassword() {
        return redisPassword;
    }

    public void setRedisPassword(String redisPassword) {
        this.redisPassword = redisPassword;
    }

    public SecretRef getRedisPasswordSecretRef() {
        return redisPasswordSecretRef;
    }

    public void setRedisPasswordSecretRef(SecretRef redisPasswordSecretRef) {
        this.redisPasswordSecretRef = redisPasswordSecretRef;
    }

    public Boolean getEnableTLS() {
        return enableTLS;
    }

    public void setEnableTLS(Boolean enableTLS) {
        this.enableTLS = enableTLS;
    }

    public Integer getRedisDB() {
        return redisDB;
    }

    public void setRedisDB(Integer redisDB) {
        this.redisDB = redisDB;
    }

    public String getStream() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public String getRedeliverInterval() {
        return redeliverInterval;
    }

    public void setRedeliverInterval(String redeliverInterval) {
        this.redeliverInterval = redeliverInterval;
    }

    public String getDialTimeout() {
        return dialTimeout;
    }

    public void setDialTimeout(String dialTimeout) {
        this.dialTimeout = dialTimeout;
    }

    public String getRedisType() {
        return redisType;
    }

    public void setRedisType(String redisType) {
        this.redisType = redisType;
    }

    public Boolean getFailover() {
        return failover;
    }

    public void setFailover(Boolean failover) {
        this.failover = failover;
    }

    public String getSentinelMasterName() {
        return sentinelMasterName;
    }

    public void setSentinelMasterName(String sentinelMasterName) {
        this.sentinelMasterName = sentinelMasterName;
    }

    public Long getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(Long poolSize) {
        this.poolSize = poolSize;
    }
}
