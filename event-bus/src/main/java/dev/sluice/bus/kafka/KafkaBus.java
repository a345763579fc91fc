package dev.sluice.bus.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.cloudevents.CloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;

/**
 * The Kafka bus: CloudEvents in binary mode ({@code ce_*} headers), keyed by partition key or subject, from
 * one idempotent producer with {@code acks=all}; one consumer group per subscription.
 */
public class KafkaBus implements Bus {
    private static final Logger LOG = Logger.getLogger(KafkaBus.class);

    private final Map<String, Object> clientConfig;
    private final Optional<Integer> partitions;
    private final Optional<Short> replication;
    private final int maxRecordBytes;
    private final KafkaProducer<String, CloudEvent> producer;
    private final Admin admin;
    private final List<KafkaBusSubscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * @param clientConfig connection settings shared by producer, consumers and admin (bootstrap servers, SASL)
     * @param maxRecordBytes the largest record, headers included: the producer's {@code max.request.size} and the
     *        {@code max.message.bytes} of the topics this bus creates, so that an event the ingress took fits
     */
    public KafkaBus(Map<String, Object> clientConfig, Optional<Integer> partitions, Optional<Short> replication,
            int maxRecordBytes) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.partitions = partitions;
        this.replication = replication;
        this.maxRecordBytes = maxRecordBytes;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-producer");
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        this.producer = new KafkaProducer<>(producerConfig);
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-admin");
        this.admin = Admin.create(adminConfig);
    }

    @Override
    public CompletionStage<Void> publish(String topic, CloudEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, CloudEvents.key(event), event), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // send() throws at once when metadata cannot be had within max.block.ms or the producer is closed
            acked.completeExceptionally(e);
        }
        return acked;
    }

    @Override
    public CompletionStage<Void> ensureTopics(Collection<String> topics) {
        List<NewTopic> wanted = topics.stream().distinct().map(t -> new NewTopic(t, partitions, replication)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxRecordBytes)))).toList();
        CompletableFuture<Void> done = new CompletableFuture<>();
        admin.createTopics(wanted).values().values().stream()
                .map(f -> f.toCompletionStage().toCompletableFuture().handle((ok, error) -> {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause != null && !(cause instanceof TopicExistsException)) {
                        throw new IllegalStateException(cause.getMessage(), cause);
                    }
                    return null;
                }))
                .reduce((a, b) -> a.thenCombine(b, (x, y) -> null))
                .orElse(CompletableFuture.completedFuture(null))
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        // fetch metadata now, off the admin client's thread, so that the first publish to
                        // a topic does not block its caller (the HTTP event loop) on a metadata request
                        CompletableFuture.runAsync(() -> topics.forEach(producer::partitionsFor))
                                .whenComplete((warm, warmError) -> done.complete(null));
                    } else {
                        done.completeExceptionally(error);
                    }
                });
        return done;
    }

    @Override
    public BusSubscription subscribe(String group, Collection<String> topics, BusEventHandler handler) {
        KafkaBusSubscription subscription = new KafkaBusSubscription(clientConfig, group, topics, handler,
                subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    @Override
    public boolean isReachable(java.time.Duration timeout) {
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(KafkaBusSubscription::close);
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(5));
        LOG.debugf("Closed Kafka bus %s", clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }
}
