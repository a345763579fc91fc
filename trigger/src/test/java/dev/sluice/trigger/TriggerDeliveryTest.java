package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import dev.sluice.bus.Topics;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.ResourceParser;
import dev.sluice.trigger.FakeFunction.Answer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** Triggers on the embedded Kafka broker, delivering to real HTTP functions and to topics. */
@QuarkusTest
class TriggerDeliveryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Inject
    ResourceCatalog catalog;

    @Inject
    Buses buses;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper mapper;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void deliversExactlyTheMatchingEventsToTheSinkAndEveryEventToTheTopic() throws Exception {
        String name = unique("big-orders");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        String allOrders = name + "-all";
        ResourceKey key = apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "%2$s"}
                  - condition: order
                    topic: %3$s
                """.formatted(name, sink, allOrders));
        awaitReady(key);
        TopicWatcher all = watch(allOrders);

        List<CloudEvent> orders = IntStream.range(0, 20).mapToObj(i -> order(name + "-" + i, i % 2 == 0 ? 50 : 150))
                .toList();
        publish(Topics.of("default", name, "orders"), orders);

        await().atMost(PATIENCE).until(() -> count("sluice.trigger.evaluated", name, "matched")
                + count("sluice.trigger.evaluated", name, "unmatched") == 40);
        await().atMost(PATIENCE).until(() -> count("sluice.trigger.delivered", name, "delivered") == 30);
        Set<String> big = orders.stream().filter(o -> new String(o.getData().toBytes()).contains("150"))
                .map(CloudEvent::getId).collect(Collectors.toSet());
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .hasSize(10).containsExactlyInAnyOrderElementsOf(big);
        assertThat(FUNCTIONS.requests("/" + name).get(0).body()).startsWith("{\"amount\":");
        assertThat(FUNCTIONS.requests("/" + name).get(0).type()).isEqualTo("shop.order.created");
        await().atMost(PATIENCE).until(() -> all.events.size() == 20);
        assertThat(all.events).extracting(CloudEvent::getId)
                .containsExactlyInAnyOrderElementsOf(orders.stream().map(CloudEvent::getId).toList());
        assertThat(count("sluice.trigger.evaluated", name, "error")).isZero();
        all.close();
    }

    @Test
    void anEventReachesASinkThatFailsAFewTimesFirst() throws Exception {
        String name = unique("flaky");
        URI sink = FUNCTIONS.serve("/" + name, (request, before) -> Answer.of(before < 3 ? 503 : 202));
        ResourceKey key = apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  delivery: {backoffDelay: 20ms, backoffPolicy: linear}
                  subscribers:
                  - sink: {uri: "%2$s"}
                """.formatted(name, sink));
        awaitReady(key);

        publish(Topics.of("default", name, "orders"), List.of(order(name + "-1", 10)));

        await().atMost(PATIENCE).until(() -> count("sluice.trigger.delivered", name, "delivered") == 1);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .containsExactly(name + "-1", name + "-1", name + "-1", name + "-1");
        assertThat(count("sluice.trigger.retried", name, null)).isEqualTo(3);
        assertThat(count("sluice.trigger.delivered", name, "dead-lettered")
                + count("sluice.trigger.delivered", name, "dropped")).isZero();
    }

    @Test
    void anEventTheSinkRefusesIsDeadLetteredToATopicWithWhy() throws Exception {
        String name = unique("refused");
        URI sink = FUNCTIONS.serve("/" + name,
                request -> new Answer(request.body().contains("poison") ? 400 : 200, "amount must be a number", Map.of()));
        String deadTopic = name + "-dead";
        ResourceKey key = apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    deadLetterTopic: %3$s
                """.formatted(name, sink, deadTopic));
        awaitReady(key);
        TopicWatcher dead = watch(deadTopic);

        CloudEvent poison = CloudEventBuilder.v1(order(name + "-poison", 0)).withSubject("o-1")
                .withData("{\"amount\": \"poison\"}".getBytes(StandardCharsets.UTF_8)).build();
        publish(Topics.of("default", name, "orders"), List.of(order(name + "-good", 5), poison));

        await().atMost(PATIENCE).until(() -> count("sluice.trigger.delivered", name, "dead-lettered") == 1
                && count("sluice.trigger.delivered", name, "delivered") == 1);
        await().atMost(PATIENCE).until(() -> dead.events.size() == 1);
        CloudEvent letter = dead.events.get(0);
        assertThat(letter.getId()).isEqualTo(name + "-poison");
        assertThat(letter.getSubject()).isEqualTo("o-1");
        assertThat(letter.getType()).isEqualTo("shop.order.created");
        assertThat(new String(letter.getData().toBytes(), StandardCharsets.UTF_8)).contains("poison");
        assertThat(letter.getExtension(CloudEvents.ERROR_CODE)).hasToString("400");
        assertThat(letter.getExtension(CloudEvents.ERROR_DEST)).isEqualTo(sink.toString());
        assertThat(letter.getExtension(CloudEvents.ERROR_DATA)).isEqualTo("amount must be a number");
        // a 400 is final: no retry
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(name + "-good", name + "-poison");
        dead.close();
    }

    @Test
    void aTriggerWhoseConditionDoesNotCompileIsNotReadyAndTheOthersGoOn() throws Exception {
        String bad = unique("bad-cel");
        String good = unique("good-cel");
        URI sink = FUNCTIONS.serve("/" + good, request -> Answer.of(200));
        ResourceKey badKey = apply(bad, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount >"
                    sink: {uri: "%2$s"}
                """.formatted(good, sink));
        ResourceKey goodKey = apply(good, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order"
                    sink: {uri: "%2$s"}
                """.formatted(good, sink));
        awaitReady(goodKey);

        Condition ready = catalog.get(badKey).orElseThrow().getStatus().condition(Condition.READY).orElseThrow();
        assertThat(ready.isTrue()).isFalse();
        assertThat(ready.getReason()).isEqualTo("ConditionInvalid");
        assertThat(ready.getMessage()).startsWith("spec.subscribers[0].condition: does not compile");
        assertThat(catalog.get(badKey).orElseThrow().getStatus().condition(TriggerReconciler.CONDITION_COMPILED))
                .hasValueSatisfying(c -> assertThat(c.isTrue()).isFalse());

        publish(Topics.of("default", good, "orders"), List.of(order(good + "-1", 1), order(good + "-2", 2)));

        await().atMost(PATIENCE).until(() -> count("sluice.trigger.delivered", good, "delivered") == 2);
        assertThat(FUNCTIONS.requests("/" + good)).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(good + "-1", good + "-2");
        assertThat(count("sluice.trigger.evaluated", bad, "matched")).isZero();
    }

    private ResourceKey apply(String name, String spec) {
        String yaml = """
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {name: %s, namespace: default, generation: 1}
                spec:
                  eventBus: default
                %s""".formatted(name, spec);
        List<ResourceParser.Parsed> parsed = new ResourceParser(mapper).parse(yaml, name);
        assertThat(parsed).hasSize(1);
        SluiceResource<?> trigger = parsed.get(0).resource();
        assertThat(trigger).as(parsed.get(0).skipped()).isNotNull();
        catalog.upsert(trigger);
        return trigger.key();
    }

    private void awaitReady(ResourceKey key) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(catalog.get(key).orElseThrow().getStatus().isReady())
                .as("%s", catalog.get(key).orElseThrow().getStatus().getConditions()).isTrue());
    }

    private Bus bus() {
        return buses.resolve("default", "default", "spec.eventBus").bus();
    }

    private void publish(String topic, List<CloudEvent> events) throws Exception {
        List<CompletableFuture<Void>> acks = events.stream().map(e -> bus().publish(topic, e).toCompletableFuture())
                .toList();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private double count(String meter, String trigger, String outcome) {
        var search = registry.find(meter).tag("namespace", "default").tag("trigger", trigger);
        Counter counter = (outcome == null ? search : search.tag("outcome", outcome)).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Reads a topic from its end, as a test consumer group of its own. */
    private TopicWatcher watch(String topic) throws Exception {
        bus().ensureTopics(List.of(topic)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        TopicWatcher watcher = new TopicWatcher();
        watcher.subscription = bus().subscribe("test-" + topic, List.of(topic), event -> {
            watcher.events.add(event.event());
            return CompletableFuture.completedFuture(null);
        });
        await().atMost(PATIENCE).until(watcher.subscription::isAssigned);
        return watcher;
    }

    private static final class TopicWatcher implements AutoCloseable {
        final List<CloudEvent> events = new CopyOnWriteArrayList<>();
        BusSubscription subscription;

        @Override
        public void close() {
            subscription.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    private static CloudEvent order(String id, int amount) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop/orders")).withType("shop.order.created")
                .withDataContentType("application/json")
                .withData(("{\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8)).build();
    }
}
