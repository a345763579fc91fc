package dev.sluice.source.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.TlsSpec;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.KafkaEventSpec;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.kafka.KafkaConnection;
import dev.sluice.bus.kafka.KafkaConsumerLoop;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.config.ReplicaIdentity;
import dev.sluice.resources.ResourceCatalog;
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
 * {@code spec.kafka}: reads a topic as one consumer group (replicas of this service share its partitions, each a
 * static member named after the replica, so that a restarted replica reads on at once) and
 * publishes each record as a CloudEvent (see {@link KafkaRecordMapper}). A record's offset is committed only
 * after the bus acknowledged it, and a failed publish is retried until it succeeds or the event is stopped: at
 * least once from the producer to the bus. A record over {@code maxMessageBytes}, or one that claims to be a
 * CloudEvent and is not, is refused: logged with its position, counted, and committed, so it never stalls its
 * partition.
 */
@ApplicationScoped
@Identifier(KafkaEventSource.TYPE)
public class KafkaEventSource implements EventSourceAdapter<KafkaEventSpec> {
    private static final Logger LOG = Logger.getLogger(KafkaEventSource.class);
    static final String TYPE = "kafka";

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

    @Inject
    ResourceCatalog catalog;

    @Inject
    ReplicaIdentity replica;

    /** A new consumer is "connecting", not "unreachable", for this long: the first connection takes a moment. */
    private static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

    /** One running event: its consumer, what it publishes with, and when it started. */
    private record Reader(KafkaConsumerLoop loop, RetryingPublisher publisher, String brokers, long startedAt) {
    }

    private final Map<EventKey, Reader> readers = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, KafkaEventSpec> events(EventSourceSpec spec) {
        return spec.getKafka();
    }

    @Override
    public void start(EventKey key, KafkaEventSpec spec, EventPublisher publisher) {
        String field = "spec.kafka." + key.event();
        if (spec == null || spec.getTopic() == null || spec.getTopic().isBlank()) {
            throw new InvalidSpecException(Reasons.TOPIC_MISSING, field + ".topic", "set the Kafka topic to read");
        }
        // a source reads its upstream, never Sluice's own topics or groups
        BusNames.busTopicOwner(spec.getTopic().trim(), catalog).ifPresent(owner -> {
            throw new InvalidSpecException(Reasons.TOPIC_NOT_ALLOWED, field + ".topic", "'" + spec.getTopic()
                    + "' is the bus topic of EventSource '" + owner.name() + "' in namespace '" + owner.namespace()
                    + "'; a Trigger reads it");
        });
        if (spec.getConsumerGroup() != null && BusNames.isSluiceGroup(spec.getConsumerGroup())) {
            throw new InvalidSpecException(Reasons.GROUP_NOT_ALLOWED, field + ".consumerGroup",
                    "groups named sluice-trigger-*, sluice-source-*, sluice-cron-* and sluice-fanout-* are Sluice's own");
        }
        String offset = spec.getInitialOffset() == null ? "latest" : spec.getInitialOffset();
        if (!offset.equals("latest") && !offset.equals("earliest")) {
            throw new InvalidSpecException(Reasons.INVALID_OFFSET, field + ".initialOffset", "must be earliest or latest");
        }
        if (spec.getMaxMessageBytes() != null && spec.getMaxMessageBytes() <= 0) {
            throw new InvalidSpecException(Reasons.INVALID_LIMIT, field + ".maxMessageBytes", "must be at least 1");
        }
        String password = secrets.value(key.namespace(), spec.getSaslPassword(), spec.getSaslPasswordSecretRef(),
                field + ".saslPassword");
        Map<String, Object> consumerConfig = new KafkaConnection(spec.getBrokers(),
                Boolean.TRUE.equals(spec.getAuthRequired()), spec.getSaslUsername(), password,
                tlsOf(key, spec.getTls(), field + ".tls")).clientConfig(field);
        String group = spec.getConsumerGroup() == null || spec.getConsumerGroup().isBlank()
                ? BusNames.sourceGroup(key.namespace(), key.eventSource(), key.event())
                : spec.getConsumerGroup();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-source-" + key.topic());
        // a static member, so that a restarted replica reads on at once; named per event, since two events may
        // share one consumerGroup
        consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, replica.memberId("source-" + key.topic()));
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offset);
        int maxBytes = spec.getMaxMessageBytes() != null ? spec.getMaxMessageBytes() : config.maxMessageBytes();

        stop(key);
        RetryingPublisher retrying = retries.forEvent(key, TYPE, publisher);
        KafkaRecordMapper mapper = new KafkaRecordMapper(key, spec.getTopic());
        KafkaConsumerLoop loop;
        try {
            loop = KafkaConsumerLoop.fromConfig("sluice-source-" + key, consumerConfig,
                    List.of(spec.getTopic()), record -> handle(key, maxBytes, mapper, retrying, record),
                    () -> LOG.debugf("Kafka source %s closed", key));
        } catch (KafkaException e) {
            // the client checks its settings when it is made: unusable TLS material is the usual cause
            throw new InvalidSpecException(spec.getTls() == null ? Reasons.SOURCE_FAILED : Reasons.TLS_INVALID,
                    spec.getTls() == null ? field : field + ".tls", "the Kafka client refused its settings: " + rootMessage(e));
        }
        readers.put(key, new Reader(loop, retrying, spec.getBrokers(), System.nanoTime()));
        loop.start();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** The TLS material with the client key read from its Secret, where it names one. */
    private TlsSpec tlsOf(EventKey key, TlsSpec tls, String field) {
        if (tls == null || tls.getClientKeySecretRef() == null) {
            return tls;
        }
        TlsSpec resolved = new TlsSpec();
        resolved.setCaCert(tls.getCaCert());
        resolved.setClientCert(tls.getClientCert());
        resolved.setInsecureSkipVerify(tls.getInsecureSkipVerify());
        resolved.setClientKey(secrets.value(key.namespace(), tls.getClientKey(), tls.getClientKeySecretRef(),
                field + ".clientKey"));
        return resolved;
    }

    /** The ingress boundary of this source: every outcome is logged once and counted here. */
    private CompletionStage<Void> handle(EventKey key, int maxBytes, KafkaRecordMapper mapper,
            RetryingPublisher publisher, ConsumerRecord<String, byte[]> record) {
        int size = record.value() == null ? 0 : record.value().length;
        if (size > maxBytes) {
            LOG.warnf("Refused record %s-%d@%d of %s: %d bytes, over maxMessageBytes %d", record.topic(),
                    record.partition(), record.offset(), key, size, maxBytes);
            received.count(key, TYPE, ReceivedCounter.REFUSED);
            return CompletableFuture.completedFuture(null);
        }
        CloudEvent event;
        try {
            event = mapper.toEvent(record);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Refused record %s-%d@%d of %s: %s", record.topic(), record.partition(), record.offset(), key,
                    e.getMessage());
            received.count(key, TYPE, ReceivedCounter.REFUSED);
            return CompletableFuture.completedFuture(null);
        }
        Optional<String> violation = limits.violation(event);
        if (violation.isPresent()) {
            LOG.warnf("Refused record %s-%d@%d of %s: %s", record.topic(), record.partition(), record.offset(), key,
                    violation.get());
            received.count(key, TYPE, ReceivedCounter.REFUSED);
            return CompletableFuture.completedFuture(null);
        }
        LOG.debugf("Record %s-%d@%d of %s is event %s", record.topic(), record.partition(), record.offset(), key,
                event.getId());
        return publisher.publish(event).whenComplete((ok, error) -> received.count(key, TYPE,
                error == null ? ReceivedCounter.PUBLISHED : ReceivedCounter.STOPPED));
    }

    @Override
    public void stop(EventKey key) {
        Reader reader = readers.remove(key);
        if (reader != null) {
            reader.publisher().stop(); // first, so that the loop's in-flight records fail and are not committed
            reader.loop().close();
        }
    }

    @Override
    public Condition state(EventKey key) {
        Reader reader = readers.get(key);
        if (reader == null) {
            return Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.NOT_RUNNING, "not running");
        }
        KafkaConsumerLoop loop = reader.loop();
        boolean young = System.nanoTime() - reader.startedAt() < CONNECT_GRACE.toNanos();
        if (!loop.isConnected() && !loop.hasJoined() && young) {
            return Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTING, "connecting to Kafka brokers " + reader.brokers());
        }
        if (!loop.isConnected()) {
            return Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.BROKER_UNREACHABLE, "no connection to Kafka brokers "
                    + reader.brokers() + loop.lastError().map(e -> " (" + e + ")").orElse("") + "; reconnecting");
        }
        if (!loop.hasJoined()) {
            return Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTING, "joining the consumer group");
        }
        return loop.lastError().map(e -> Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.CONSUMER_FAILING, e + "; retrying"))
                .orElseGet(() -> Condition.ok(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTED));
    }

    @PreDestroy
    void shutdown() {
        ParallelClose.all("kafka-source", List.copyOf(readers.keySet()).stream()
                .map(key -> (AutoCloseable) () -> stop(key)).toList());
    }
}
