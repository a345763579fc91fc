package dev.sluice.source;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.ResourceParser;
import io.cloudevents.CloudEvent;

import static org.awaitility.Awaitility.await;

/** Puts EventSources into the running service the way a watch event does, and reads their status. */
public final class TestEventSources {
    private static final ResourceParser PARSER = new ResourceParser(new ObjectMapper());

    private TestEventSources() {
    }

    /** Adds or replaces an EventSource; a new generation makes the reconciler look at it again. */
    public static EventSource upsert(ResourceCatalog catalog, long generation, String yaml) {
        EventSource source = (EventSource) PARSER.parse(yaml, "test").get(0).resource();
        source.getMetadata().setGeneration(generation);
        catalog.upsert(source);
        return source;
    }

    /**
     * Adds or replaces the EventSource {@code name} in namespace default, publishing to the default bus.
     *
     * @param sources the spec's source maps as YAML, e.g. {@code kafka: {payments: {topic: p}}}
     */
    public static EventSource upsert(ResourceCatalog catalog, long generation, String name, String sources) {
        return upsert(catalog, generation, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: %s, namespace: default}
                spec:
                  eventBus: default
                """.formatted(name) + sources.lines().map(line -> "  " + line + "\n").reduce("", String::concat));
    }

    public static Optional<Condition> condition(ResourceCatalog catalog, String namespace, String name, String type) {
        return catalog.get(new ResourceKey("EventSource", namespace, name))
                .flatMap(r -> r.getStatus().condition(type));
    }

    public static void awaitReady(ResourceCatalog catalog, String namespace, String name) {
        await().atMost(Duration.ofSeconds(60)).until(() -> condition(catalog, namespace, name, Condition.READY)
                .map(Condition::isTrue).orElse(false));
    }

    /** Every event that arrives on the bus topics, by id; counts duplicates too. */
    public static final class BusRecorder implements AutoCloseable {
        public final Map<String, CloudEvent> byId = new ConcurrentHashMap<>();
        public final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        private final BusSubscription subscription;

        public BusRecorder(Buses buses, String group, String... topics) {
            subscription = buses.resolve("default", "default", "spec.eventBus").bus().subscribe(group, List.of(topics),
                    e -> {
                        byId.put(e.event().getId(), e.event());
                        deliveries.merge(e.event().getId(), 1, Integer::sum);
                        return CompletableFuture.completedFuture(null);
                    });
            await().atMost(Duration.ofSeconds(60)).until(subscription::isAssigned);
        }

        @Override
        public void close() {
            subscription.close();
        }
    }
}
