package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import dev.sluice.bus.BusNames;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.ResourceParser;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the component tests do with Triggers, the bus and the meters, in one place. */
@ApplicationScoped
public class TriggerTestKit {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Inject
    ResourceCatalog catalog;

    @Inject
    Buses buses;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper mapper;

    /** A name no other test uses, for a Trigger and its event source, so that each test has its own topics. */
    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    /** Parses a Trigger in namespace default on the default bus, with {@code spec} below its eventBus, and upserts it. */
    ResourceKey apply(String name, String spec) {
        return apply(name, spec, 1);
    }

    /** As {@link #apply(String, String)}, as generation {@code generation} of the Trigger. */
    ResourceKey apply(String name, String spec, long generation) {
        return apply("Trigger", "default", name, spec, generation);
    }

    /** Parses a resource of {@code kind} in {@code namespace} with {@code spec} below its eventBus, and upserts it. */
    ResourceKey apply(String kind, String namespace, String name, String spec, long generation) {
        String yaml = """
                apiVersion: events.sluice.dev/v1alpha1
                kind: %s
                metadata: {name: %s, namespace: %s, generation: %d}
                spec:
                  eventBus: default
                %s""".formatted(kind, name, namespace, generation, spec);
        List<ResourceParser.Parsed> parsed = new ResourceParser(mapper).parse(yaml, name);
        assertThat(parsed).hasSize(1);
        SluiceResource<?> trigger = parsed.get(0).resource();
        assertThat(trigger).as(parsed.get(0).skipped()).isNotNull();
        catalog.upsert(trigger);
        return trigger.key();
    }

    void delete(ResourceKey key) {
        catalog.delete(key);
    }

    void awaitReady(ResourceKey key) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(status(key).isReady())
                .as("%s", status(key).getConditions()).isTrue());
    }

    dev.sluice.api.Status status(ResourceKey key) {
        return catalog.get(key).orElseThrow().getStatus();
    }

    Bus bus() {
        return buses.resolve("default", "default", "spec.eventBus").bus();
    }

    /** Publishes in order, each once the previous is acknowledged, so that one partition keeps that order. */
    void publish(String topic, List<CloudEvent> events) throws Exception {
        for (CloudEvent event : events) {
            bus().publish(topic, event).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Publishes an {@link #order} to the topic of event {@code orders} of the event source {@code source}, as that
     * source would, and waits for the bus's acknowledgement.
     */
    void publishOrder(String source, String id, int amount) throws Exception {
        publish(BusNames.topic("default", source, "orders"), List.of(order(id, amount)));
    }

    /** Publishes all at once and waits for every acknowledgement. */
    void publishAll(String topic, List<CloudEvent> events) throws Exception {
        List<CompletableFuture<Void>> acks = events.stream().map(e -> bus().publish(topic, e).toCompletableFuture())
                .toList();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /**
     * A counter of one Trigger in namespace default, summed over its subscribers; {@code outcome} null for
     * counters without one.
     */
    double count(String meter, String trigger, String outcome) {
        var search = registry.find(meter).tag("namespace", "default").tag("trigger", trigger);
        return (outcome == null ? search : search.tag("outcome", outcome)).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Reads a topic from its end, as a test consumer group of its own. */
    TopicWatcher watch(String topic) throws Exception {
        bus().ensureTopics(List.of(topic)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        TopicWatcher watcher = new TopicWatcher();
        watcher.subscription = bus().subscribe("test-" + topic, List.of(topic), event -> {
            watcher.events.add(event.event());
            return CompletableFuture.completedFuture(null);
        });
        await().atMost(PATIENCE).until(watcher.subscription::isAssigned);
        return watcher;
    }

    static final class TopicWatcher implements AutoCloseable {
        final List<CloudEvent> events = new CopyOnWriteArrayList<>();
        BusSubscription subscription;

        @Override
        public void close() {
            subscription.close();
        }
    }

    static CloudEvent order(String id, Object amount) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop/orders")).withType("shop.order.created")
                .withDataContentType("application/json")
                .withData(("{\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8)).build();
    }
}
