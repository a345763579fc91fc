package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusHistory;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.concurrent.ParallelClose;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;

/**
 * The Kafka bus: CloudEvents in binary mode ({@code ce_*} headers), keyed by partition key or subject, from
 * one idempotent producer with {@code acks=all}; one consumer group per subscription.
 * <p>
 * {@code producer.send} can block its caller for up to {@code max.block.ms}: while it fetches a topic's metadata
 * (a broker that is down never answers) or while its buffer is full. Callers are Vert.x event loops (the HTTP
 * source, retry timers), which must never block, so sends are handed to one sender thread of this bus. A send
 * that waited there longer than {@code max.block.ms} fails without being sent: its caller has given up on it.
 */
public class KafkaBus implements Bus {
    private static final Logger LOG = Logger.getLogger(KafkaBus.class);
    /** {@code max.block.ms}: how long a send may wait for metadata or buffer space. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(10);
    /** Sends waiting for the sender thread beyond which a publish fails at once: the broker is not keeping up. */
    private static final int MAX_QUEUED = 20_000;

    private final Map<String, Object> clientConfig;
    /** The connection's settings with the consumer settings given over Sluice's: what each subscription starts from. */
    private final Map<String, Object> consumerBase;
    private final Optional<Integer> partitions;
    private final Optional<Short> replication;
    private final int maxRecordBytes;
    private final KafkaProducer<String, CloudEvent> producer;
    private final Admin admin;
    private final List<KafkaBusSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, KafkaTable> tables = new ConcurrentHashMap<>();
    /** One shared reader per set of topics; guarded by itself. */
    private final Map<Set<String>, KafkaFanOut> fanOuts = new HashMap<>();
    private final Function<String, String> memberIds;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(DaemonThreads.named("sluice-producer"));
    private final AtomicInteger queued = new AtomicInteger();
    private final KafkaBusHistory history;

    /**
     * @param clientConfig connection settings shared by producer, consumers and admin (bootstrap servers, SASL)
     * @param memberIds this replica's static member id in a consumer group, by group
     * @param maxRecordBytes the largest record, headers included: the producer's {@code max.request.size} and the
     *        {@code max.message.bytes} of the topics this bus creates, so that an event the ingress took fits
     */
    public KafkaBus(Map<String, Object> clientConfig, Optional<Integer> partitions, Optional<Short> replication,
            Function<String, String> memberIds, int maxRecordBytes) {
        this(clientConfig, partitions, replication, memberIds, maxRecordBytes, Map.of(), Map.of());
    }

    /**
     * @param producerSettings Kafka producer settings over Sluice's ({@code sluice.bus.kafka.producer}); the
     *        guarantees stay: {@code acks=all}, idempotent
     * @param consumerSettings Kafka consumer settings over Sluice's ({@code sluice.bus.kafka.consumer})
     */
    public KafkaBus(Map<String, Object> clientConfig, Optional<Integer> partitions, Optional<Short> replication,
            Function<String, String> memberIds, int maxRecordBytes, Map<String, String> producerSettings,
            Map<String, String> consumerSettings) {
        this.clientConfig = Map.copyOf(clientConfig);
        Map<String, Object> consumer = new HashMap<>(clientConfig);
        consumer.putAll(consumerSettings);
        this.consumerBase = Map.copyOf(consumer);
        this.memberIds = memberIds;
        this.partitions = partitions;
        this.replication = replication;
        this.maxRecordBytes = maxRecordBytes;
        Map<String, Object> producerConfig = producerConfig(clientConfig, "sluice-producer", producerSettings);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        this.producer = new KafkaProducer<>(producerConfig);
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-admin");
        this.admin = Admin.create(adminConfig);
        this.history = new KafkaBusHistory(clientConfig);
    }

    /**
     * A producer's settings for writes that must not be lost or doubled: {@code acks=all}, idempotent; string keys.
     * The caller adds the value serializer.
     */
    static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String clientId) {
        return producerConfig(clientConfig, clientId, Map.of());
    }

    /** The same, with {@code settings} over Sluice's defaults; {@code acks} and idempotence are not theirs to change. */
    static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String clientId,
            Map<String, String> settings) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // no linger: the ingress answers after the broker's ack, so a linger is added to every request's latency,
        // and under load the records wait for an in-flight request anyway and batch on their own (measured in
        // docs/benchmarks.md: linger.ms=0 took more events/s at less CPU per event than 1, and 1 ms off ingest p50)
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        config.putAll(settings);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    @Override
    public CompletionStage<Void> publish(String topic, CloudEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            acked.completeExceptionally(new TimeoutException(MAX_QUEUED + " events wait for the Kafka producer"));
            return acked;
        }
        long handedOver = System.nanoTime();
        try {
            sender.execute(() -> {
                queued.decrementAndGet();
                if (System.nanoTime() - handedOver > MAX_BLOCK.toNanos()) {
                    acked.completeExceptionally(new TimeoutException("not sent within " + MAX_BLOCK.toMillis()
                            + " ms: the Kafka producer was blocked (is the broker down?)"));
                } else {
                    send(topic, event, acked);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            acked.completeExceptionally(new IllegalStateException("the bus is closed"));
        }
        return acked;
    }

    /** On the sender thread: may block up to {@code max.block.ms}. */
    private void send(String topic, CloudEvent event, CompletableFuture<Void> acked) {
        try {
            producer.send(new ProducerRecord<>(topic, CloudEvents.key(event), event), completing(acked));
        } catch (RuntimeException e) {
            // send() throws at once when metadata cannot be had within max.block.ms or the producer is closed
            acked.completeExceptionally(e);
        }
    }

    /** A producer callback that completes {@code acked} with the broker's answer. */
    static Callback completing(CompletableFuture<Void> acked) {
        return (metadata, error) -> {
            if (error == null) {
                acked.complete(null);
            } else {
                acked.completeExceptionally(error);
            }
        };
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
        KafkaBusSubscription subscription = new KafkaBusSubscription(consumerBase, group, memberIds.apply(group),
                topics, handler, subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    /**
     * Subscriptions to the same topics share one {@link KafkaFanOut} in this process: the topics are fetched and
     * decoded once for all of them, and each keeps the position of its own group.
     */
    @Override
    public BusSubscription subscribeShared(String group, Collection<String> topics, BusEventHandler handler) {
        Set<String> key = Set.copyOf(topics);
        synchronized (fanOuts) {
            KafkaFanOut fanOut = fanOuts.computeIfAbsent(key, this::startFanOut);
            return fanOut.attach(group, handler, this::closeIfUnused);
        }
    }

    private KafkaFanOut startFanOut(Set<String> topics) {
        String group = BusNames.fanOutGroup(topics);
        Map<String, Object> shared = consumerConfig(group);
        shared.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        shared.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberIds.apply(group));
        shared.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // as for a group per subscription: the range assignor gives one replica partition p of every topic
        shared.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        // a poll goes to every subscriber over its bound: a small one keeps them close together
        shared.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, KafkaFanOut.MAX_IN_FLIGHT / 2);
        Map<String, Object> own = consumerConfig(group + "-own");
        // a subscriber on its own reads behind the others: a small fetch, since hundreds may be
        own.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, KafkaFanOut.MAX_IN_FLIGHT);
        own.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        own.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        KafkaFanOut fanOut = new KafkaFanOut(group, topics, () -> new KafkaConsumer<>(shared),
                () -> new KafkaConsumer<>(own), admin);
        fanOut.start();
        return fanOut;
    }

    private Map<String, Object> consumerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>(consumerBase);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private void closeIfUnused(KafkaFanOut fanOut) {
        boolean unused;
        synchronized (fanOuts) {
            unused = fanOut.isUnused() && fanOuts.remove(Set.copyOf(fanOut.topics()), fanOut);
        }
        if (unused) {
            fanOut.close();
        }
    }

    @Override
    public Optional<BusTable> table(String name) {
        return Optional.of(tables.computeIfAbsent(name, topic -> new KafkaTable(topic, clientConfig, admin, replication)));
    }

    @Override
    public Optional<BusHistory> history() {
        return Optional.of(history);
    }

    @Override
    public boolean isReachable(Duration timeout) {
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ParallelClose.all("subscription", List.copyOf(subscriptions));
        List<KafkaFanOut> readers;
        synchronized (fanOuts) {
            readers = List.copyOf(fanOuts.values());
            fanOuts.clear();
        }
        ParallelClose.all("shared reader", readers);
        tables.values().forEach(KafkaTable::close);
        history.close();
        sender.shutdown();
        try {
            sender.awaitTermination(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        LOG.debugf("Closed Kafka bus %s", clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }
}
