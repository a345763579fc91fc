package dev.sluice.source.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.MqttEventSpec;
import dev.sluice.bus.BusNames;
import dev.sluice.config.ReplicaIdentity;
import dev.sluice.secrets.Secrets;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventLimits;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.EventSourceAdapter;
import dev.sluice.source.PublishRetries;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.RetryingPublisher;
import dev.sluice.source.SourcesConfig;
import io.cloudevents.CloudEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * {@code spec.mqtt}: subscribes to a topic filter (wildcards and {@code $share/<group>/...} shared subscriptions
 * pass through to the broker) with the HiveMQ MQTT client, MQTT 3.1.1 or 5, and publishes each message as a
 * CloudEvent (see {@link MqttMessageMapper}). For QoS 1 and 2 the message is acknowledged to the broker only
 * after the bus acknowledged it, and a failed publish is retried until it succeeds or the event is stopped: at
 * least once from the producer to the bus, across restarts too with {@code cleanSession: false}. QoS 0 is at
 * most once: the broker never delivers a message again. A message over {@code sluice.sources.max-message-bytes}
 * is refused, and a retained message that the event does not ask for ({@code retain: false}) is skipped; both
 * are logged, counted and acknowledged.
 */
@ApplicationScoped
@Identifier(MqttEventSource.TYPE)
public class MqttEventSource implements EventSourceAdapter<MqttEventSpec> {
    private static final Logger LOG = Logger.getLogger(MqttEventSource.class);
    static final String TYPE = "mqtt";

    @Inject
    ReplicaIdentity replica;

    @Inject
    SourcesConfig config;

    @Inject
    EventLimits limits;

    @Inject
    ReceivedCounter received;

    @Inject
    PublishRetries retries;

    @Inject
    Secrets secrets;

    private record Running(MqttSubscription subscription, RetryingPublisher publisher) {
    }

    private final Map<EventKey, Running> running = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, MqttEventSpec> events(EventSourceSpec spec) {
        return spec.getMqtt();
    }

    @Override
    public void start(EventKey key, MqttEventSpec spec, EventPublisher publisher) {
        MqttSubscription.Settings settings = settings(key, spec);
        stop(key);
        RetryingPublisher retrying = retries.forEvent(key, TYPE, publisher);
        MqttMessageMapper mapper = new MqttMessageMapper(key, settings.topicFilter());
        int maxBytes = config.maxMessageBytes();
        MqttSubscription subscription = new MqttSubscription(key, settings,
                message -> handle(key, settings, maxBytes, mapper, retrying, message));
        running.put(key, new Running(subscription, retrying));
        subscription.start();
    }

    /** The ingress boundary of this source: every outcome is logged once and counted here. */
    private void handle(EventKey key, MqttSubscription.Settings settings, int maxBytes, MqttMessageMapper mapper,
            RetryingPublisher publisher, MqttMessage message) {
        if (message.payload().length > maxBytes) {
            LOG.warnf("Refused MQTT message on %s for %s: %d bytes, over %d", message.topic(), key,
                    message.payload().length, maxBytes);
            received.count(key, TYPE, ReceivedCounter.REFUSED);
            message.acknowledge().run();
            return;
        }
        if (message.retain() && !settings.retain()) {
            LOG.debugf("Skipped retained MQTT message on %s for %s (retain: false)", message.topic(), key);
            received.count(key, TYPE, ReceivedCounter.SKIPPED);
            message.acknowledge().run();
            return;
        }
        CloudEvent event = mapper.toEvent(message);
        Optional<String> violation = limits.violation(event);
        if (violation.isPresent()) {
            LOG.warnf("Refused MQTT message on %s for %s: %s", message.topic(), key, violation.get());
            received.count(key, TYPE, ReceivedCounter.REFUSED);
            message.acknowledge().run();
            return;
        }
        LOG.debugf("MQTT message on %s (QoS %d) for %s is event %s", message.topic(), message.qos(), key, event.getId());
        publisher.publish(event).whenComplete((ok, error) -> {
            if (error == null) {
                message.acknowledge().run();
                received.count(key, TYPE, ReceivedCounter.PUBLISHED);
            } else {
                received.count(key, TYPE, ReceivedCounter.STOPPED);
            }
        });
    }

    /** Checks the spec and fills in the defaults: QoS 1, MQTT 3.1.1, a persistent session, no retained messages. */
    MqttSubscription.Settings settings(EventKey key, MqttEventSpec spec) {
        String field = "spec.mqtt." + key.event();
        if (spec == null || spec.getUrl() == null || spec.getUrl().isBlank()) {
            throw new InvalidSpecException(Reasons.URL_MISSING, field + ".url", "set the broker URL, e.g. tcp://mosquitto:1883");
        }
        URI url;
        try {
            url = new URI(spec.getUrl().trim());
        } catch (URISyntaxException e) {
            throw new InvalidSpecException(Reasons.INVALID_URL, field + ".url", "not a URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = List.of("ssl", "tls", "mqtts").contains(scheme);
        if (!tls && !List.of("tcp", "mqtt").contains(scheme) || url.getHost() == null) {
            throw new InvalidSpecException(Reasons.INVALID_URL, field + ".url",
                    "use tcp://host:port or mqtt://host:port, or ssl://host:port for TLS");
        }
        int port = url.getPort() > 0 ? url.getPort() : tls ? 8883 : 1883;
        if (spec.getTopic() == null || spec.getTopic().isBlank()) {
            throw new InvalidSpecException(Reasons.TOPIC_MISSING, field + ".topic", "set the topic filter to subscribe to");
        }
        try {
            MqttTopicFilter.of(spec.getTopic());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(Reasons.INVALID_TOPIC, field + ".topic", e.getMessage());
        }
        int qos = spec.getQos() == null ? 1 : spec.getQos();
        if (qos < 0 || qos > 2) {
            throw new InvalidSpecException(Reasons.INVALID_QOS, field + ".qos", "must be 0, 1 or 2");
        }
        int version = spec.getProtocolVersion() == null ? 4 : spec.getProtocolVersion();
        if (version < 3 || version > 5) {
            throw new InvalidSpecException(Reasons.INVALID_PROTOCOL_VERSION, field + ".protocolVersion",
                    "must be 3 or 4 (MQTT 3.1.1) or 5");
        }
        String clientKey = secrets.value(key.namespace(), spec.getClientKey(), spec.getClientKeySecretRef(),
                field + ".clientKey");
        String password = secrets.value(key.namespace(), spec.getPassword(), spec.getPasswordSecretRef(),
                field + ".password");
        boolean hasTlsMaterial = spec.getCaCert() != null || spec.getClientCert() != null || clientKey != null;
        if (hasTlsMaterial && !tls) {
            throw new InvalidSpecException(Reasons.TLS_NOT_ENABLED, field + ".url",
                    "certificates are set but the URL is not ssl://; use ssl://host:port");
        }
        MqttClientSslConfig sslConfig = tls
                ? MqttTls.sslConfig(field, spec.getCaCert(), spec.getClientCert(), clientKey)
                : null;
        if (password != null && spec.getUsername() == null) {
            throw new InvalidSpecException(Reasons.CREDENTIALS_MISSING, field + ".username", "a password needs a username");
        }
        return new MqttSubscription.Settings(spec.getUrl(), url.getHost(), port, sslConfig,
                clientId(key, spec.getConsumerID(), replica.named()), spec.getTopic(),
                qos, Boolean.TRUE.equals(spec.getCleanSession()), Boolean.TRUE.equals(spec.getRetain()),
                spec.getUsername(), password, version == 5, config.retryInitialBackoff(),
                config.retryMaxBackoff());
    }

    /**
     * The MQTT client id of one event on one replica: {@code consumerID} then {@code -{instanceId}}, or without a
     * consumerID {@link BusNames#mqttClientId} of the event and the instance id. A broker lets one connection hold a
     * client id: two replicas with the same id take each other's session over and over, so each replica needs its
     * own: {@link ReplicaIdentity#named}, {@code sluice.instance-id} or the pod name in a cluster; none in local mode.
     */
    static String clientId(EventKey key, String consumerID, Optional<String> instanceId) {
        Optional<String> instance = instanceId.filter(id -> !id.isBlank());
        return consumerID == null || consumerID.isBlank()
                ? BusNames.mqttClientId(key.namespace(), key.eventSource(), key.event(), instance)
                : instance.map(id -> consumerID + "-" + id).orElse(consumerID);
    }

    @Override
    public void stop(EventKey key) {
        Running run = running.remove(key);
        if (run != null) {
            run.publisher().stop(); // first, so nothing in flight is acknowledged to the broker
            run.subscription().stop();
        }
    }

    @Override
    public Condition state(EventKey key) {
        Running run = running.get(key);
        return run == null ? Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.NOT_RUNNING, "not running") : run.subscription().state();
    }

    @PreDestroy
    void shutdown() {
        List.copyOf(running.keySet()).forEach(this::stop);
    }
}
