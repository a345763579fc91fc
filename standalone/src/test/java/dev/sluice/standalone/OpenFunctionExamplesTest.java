package dev.sluice.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * OpenFunction's own Events examples (copies under {@code src/test/resources/openfunction}, see its README), read
 * in local mode with {@code sluice.openfunction=true}, one documentation page at a time, with only the Kafka and
 * sink addresses changed: every resource is Ready, or names the natsStreaming migration, and events go through,
 * counted by id at the sink and on the bus.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenFunctionExamplesTest.Folder.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenFunctionExamplesTest {
    static final Path EXAMPLES = Path.of("src", "test", "resources", "openfunction");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String KAFKA_ADDRESS = "kafka-server-kafka-brokers.default.svc.cluster.local:9092";
    private static final String SINK_ADDRESS = "http://openfunction.io.svc.cluster.local/default/sink";

    /** The resources folder this run's app reads, with OpenFunction's group accepted. */
    public static class Folder implements QuarkusTestResourceLifecycleManager {
        static final Path DIR = Path.of("target", "openfunction-" + UUID.randomUUID()).toAbsolutePath();

        @Override
        public Map<String, String> start() {
            try {
                Files.createDirectories(DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("sluice.resources.dir", DIR.toString(), "sluice.openfunction", "true",
                    "sluice.resources.reload-interval", "200ms");
        }

        @Override
        public void stop() {
            // the folder stays under target/ for a look after a failure
        }
    }

    @Inject
    ResourceCatalog catalog;

    @Inject
    LocalKafkaBroker broker;

    private static HttpServer sink;
    /** Each CloudEvent id the sink received, with how often. */
    private static final Map<String, Integer> sunk = new ConcurrentHashMap<>();

    @BeforeAll
    static void startSink() throws IOException {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("ce-id");
            exchange.getRequestBody().readAllBytes();
            if (id != null) {
                sunk.merge(id, 1, Integer::sum);
            }
            exchange.sendResponseHeaders(id == null ? 400 : 200, -1);
            exchange.close();
        });
        sink.start();
    }

    @AfterAll
    static void stopSink() {
        sink.stop(0);
    }

    @Test
    @Order(1)
    void eventSourceWithKafkaAndASinkSendsEveryRecordToTheSink() {
        show("event-source.yaml");
        awaitReady("EventSource", "my-eventsource");
        Set<String> sent = sendUntilFlowing("sample-one", 20);
        assertThat(sent).allSatisfy(id -> assertThat(sunk).containsEntry(id, 1));
    }

    @Test
    @Order(2)
    void eventBusOnNatsStreamingNamesTheMigrationAndSoDoItsUsers() {
        show("event-bus-and-trigger.yaml");
        for (ResourceKey key : List.of(new ResourceKey("EventBus", "default", "default"),
                new ResourceKey("EventSource", "default", "my-eventsource"),
                new ResourceKey("Trigger", "default", "my-trigger"))) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready(key)).hasValueSatisfying(ready -> {
                assertThat(ready.isTrue()).isFalse();
                assertThat(ready.getReason()).as(key.toString()).isEqualTo("NatsStreamingRetired");
                assertThat(ready.getMessage()).contains("spec.natsStreaming").contains("pubsub.jetstream")
                        .contains("spec.kafka");
            }));
        }
    }

    @Test
    @Order(3)
    void kafkaAndCronInOneEventSourceBothReachTheSink() {
        show("multisource-in-eventsource.yaml");
        awaitReady("EventSource", "my-eventsource");
        Set<String> sent = sendUntilFlowing("sample-three", 20);
        assertThat(sent).allSatisfy(id -> assertThat(sunk).containsEntry(id, 1));
        await().atMost(PATIENCE).until(() -> ticks("default/my-eventsource/sample-three@").size() >= 1);
        assertThat(ticks("default/my-eventsource/sample-three@")).allSatisfy(id -> assertThat(sunk).containsEntry(id, 1));
    }

    @Test
    @Order(4)
    void triggerConditionsSendTicksToTheSinkAndPairsToTheMetricsTopic() {
        show("trigger-conditions.yaml");
        awaitReady("EventSource", "eventsource-a");
        awaitReady("EventSource", "eventsource-b");
        awaitReady("Trigger", "condition-trigger");
        String tickPrefix = "default/eventsource-b/sample-five@";
        await().atMost(PATIENCE).until(() -> ticks(tickPrefix).size() >= 1);
        try (KafkaConsumer<byte[], byte[]> metrics = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            metrics.subscribe(List.of("metrics"));
            // Sluice fires eventA && eventB once per pair (fire and clear): every pair completed by a Kafka event or
            // by a tick puts the completing event on metrics. Keep sending until both kinds have completed a pair.
            String run = "sample-five-" + UUID.randomUUID();
            Set<String> sent = ConcurrentHashMap.newKeySet();
            Map<String, Integer> published = new ConcurrentHashMap<>();
            int[] next = { 0 };
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                String id = run + "-" + next[0]++;
                send(producer, id);
                sent.add(id);
                metrics.poll(Duration.ofMillis(200)).forEach(r -> {
                    var header = r.headers().lastHeader("ce_id");
                    if (header != null) {
                        published.merge(new String(header.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                });
                return published.keySet().stream().anyMatch(sent::contains)
                        && published.keySet().stream().anyMatch(i -> i.startsWith(tickPrefix));
            });
            assertThat(published.keySet()).as("only sent events and ticks, none invented")
                    .allMatch(i -> sent.contains(i) || i.startsWith(tickPrefix) || !i.startsWith(run));
            assertThat(published.entrySet().stream().filter(e -> e.getKey().startsWith(run) || e.getKey().startsWith(tickPrefix)))
                    .as("each once").allSatisfy(e -> assertThat(e.getValue()).isEqualTo(1));
        }
        assertThat(ticks(tickPrefix)).allSatisfy(id -> assertThat(sunk).containsEntry(id, 1));
    }

    /** Replaces the folder's content with one page's manifests, addresses changed. */
    private void show(String file) {
        try (Stream<Path> old = Files.list(Folder.DIR)) {
            for (Path path : old.toList()) {
                Files.delete(path);
            }
            String text = Files.readString(EXAMPLES.resolve(file))
                    .replace(KAFKA_ADDRESS, broker.bootstrapServers().orElseThrow())
                    .replace(SINK_ADDRESS, "http://127.0.0.1:" + sink.getAddress().getPort() + "/default/sink");
            Files.writeString(Folder.DIR.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends CloudEvents to events-sample until the first arrives (the source starts at the latest offset once
     * assigned), then {@code count} more; returns the ids of those.
     */
    private Set<String> sendUntilFlowing(String event, int count) {
        String run = event + "-" + UUID.randomUUID();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            int[] probe = { 0 };
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                send(producer, run + "-probe-" + probe[0]++);
                return sunk.keySet().stream().anyMatch(id -> id.startsWith(run + "-probe-"));
            });
            Set<String> ids = IntStream.range(0, count).mapToObj(i -> run + "-" + i).collect(Collectors.toSet());
            ids.forEach(id -> send(producer, id));
            producer.flush();
            await().atMost(PATIENCE).until(() -> sunk.keySet().containsAll(ids));
            return ids;
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String id) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("events-sample", null,
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", id.getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "/openfunction-examples".getBytes(StandardCharsets.UTF_8))
                .add("ce_type", "sample".getBytes(StandardCharsets.UTF_8))
                .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    private static Set<String> ticks(String prefix) {
        return sunk.keySet().stream().filter(id -> id.startsWith(prefix)).collect(Collectors.toSet());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers().orElseThrow());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers().orElseThrow());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "openfunction-examples-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private java.util.Optional<Condition> ready(ResourceKey key) {
        return catalog.get(key).flatMap(r -> r.getStatus().condition(Condition.READY));
    }

    private void awaitReady(String kind, String name) {
        ResourceKey key = new ResourceKey(kind, "default", name);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready(key))
                .as("%s: %s", key, ready(key)).hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue()));
    }
}
