package dev.sluice.api.eventsource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.sluice.api.SinkSpec;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * OpenFunction's EventSource spec: a bus and/or a sink, and one map per source type keyed by event
 * name. Any other key is kept so that validation can name it instead of failing to parse.
 */
// The API server keeps unknown keys (a misspelt source type) so that Sluice can name them in Ready=False.
@PreserveUnknownFields
@ValidationRule(value = "has(self.eventBus) || has(self.sink)", message = "set spec.eventBus (publish to a bus) or spec.sink (call a function directly)")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EventSourceSpec {
    @JsonPropertyDescription("OpenFunction's log verbosity for this resource's adapters: \"0\" or \"1\" INFO, \"2\" DEBUG, \"3\" TRACE, or a level name (WARN, INFO, DEBUG, TRACE); logged under the category dev.sluice.eventsource.{namespace}.{name}.")
    private String logLevel;
    @JsonPropertyDescription("Name of the EventBus (or ClusterEventBus) to publish to; an EventBus in this namespace wins.")
    private String eventBus;
    @JsonPropertyDescription("A sync function to call directly with each event, instead of or besides the bus.")
    private SinkSpec sink;
    @JsonPropertyDescription("HTTP events by event name: CloudEvents POSTed to /{namespace}/{eventsource}/{event}.")
    private Map<String, HttpEventSpec> http = new LinkedHashMap<>();
    @JsonPropertyDescription("Kafka topics read as events, by event name.")
    private Map<String, KafkaEventSpec> kafka = new LinkedHashMap<>();
    @JsonPropertyDescription("MQTT topics read as events, by event name.")
    private Map<String, MqttEventSpec> mqtt = new LinkedHashMap<>();
    @JsonPropertyDescription("Schedules whose ticks are events, by event name.")
    private Map<String, CronEventSpec> cron = new LinkedHashMap<>();
    @JsonPropertyDescription("Redis streams (consumer groups) or pub/sub channels read as events, by event name.")
    private Map<String, RedisEventSpec> redis = new LinkedHashMap<>();
    @JsonPropertyDescription("Namespaces whose Triggers may read this source's events, besides its own; \"*\" for every namespace.")
    private List<String> allowedNamespaces = new ArrayList<>();
    @JsonIgnore
    private final Map<String, Object> unknownFields = new LinkedHashMap<>();

    public String getLogLevel() {
        return logLevel;
    }

    public void setLogLevel(String logLevel) {
        this.logLevel = logLevel;
    }

    public String getEventBus() {
        return eventBus;
    }

    public void setEventBus(String eventBus) {
        this.eventBus = eventBus;
    }

    public SinkSpec getSink() {
        return sink;
    }

    public void setSink(SinkSpec sink) {
        this.sink = sink;
    }

    public Map<String, HttpEventSpec> getHttp() {
        return http;
    }

    public void setHttp(Map<String, HttpEventSpec> http) {
        this.http = http == null ? new LinkedHashMap<>() : http;
    }

    public Map<String, KafkaEventSpec> getKafka() {
        return kafka;
    }

    public void setKafka(Map<String, KafkaEventSpec> kafka) {
        this.kafka = kafka == null ? new LinkedHashMap<>() : kafka;
    }

    public Map<String, MqttEventSpec> getMqtt() {
        return mqtt;
    }

    public void setMqtt(Map<String, MqttEventSpec> mqtt) {
        this.mqtt = mqtt == null ? new LinkedHashMap<>() : mqtt;
    }

    public Map<String, CronEventSpec> getCron() {
        return cron;
    }

    public void setCron(Map<String, CronEventSpec> cron) {
        this.cron = cron == null ? new LinkedHashMap<>() : cron;
    }

    public Map<String, RedisEventSpec> getRedis() {
        return redis;
    }

    public void setRedis(Map<String, RedisEventSpec> redis) {
        this.redis = redis == null ? new LinkedHashMap<>() : redis;
    }

    public List<String> getAllowedNamespaces() {
        return allowedNamespaces;
    }

    public void setAllowedNamespaces(List<String> allowedNamespaces) {
        this.allowedNamespaces = allowedNamespaces == null ? new ArrayList<>() : allowedNamespaces;
    }

    /** True when a Trigger of {@code namespace} may read this source: its own, listed, or {@code "*"} listed. */
    public boolean allowsReadersFrom(String namespace, String ownNamespace) {
        return namespace.equals(ownNamespace) || allowedNamespaces.contains(namespace) || allowedNamespaces.contains("*");
    }

    /** Every source type's events, by the type's field name. */
    @JsonIgnore
    public Map<String, Map<String, ?>> eventsByType() {
        Map<String, Map<String, ?>> byType = new LinkedHashMap<>();
        byType.put("http", http);
        byType.put("kafka", kafka);
        byType.put("mqtt", mqtt);
        byType.put("cron", cron);
        byType.put("redis", redis);
        return byType;
    }

    @JsonAnySetter
    public void setUnknownField(String name, Object value) {
        unknownFields.put(name, value);
    }

    @JsonAnyGetter
    public Map<String, Object> getUnknownFields() {
        return unknownFields;
    }
}
