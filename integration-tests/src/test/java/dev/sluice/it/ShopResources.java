package dev.sluice.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resources of DESIGN.md's example, cut down to what the tests exercise: EventSource {@code shop}
 * with the HTTP event {@code orders}, and one Trigger with one HTTP sink subscriber. No EventBus is
 * written, so {@code default} is the embedded broker. Two files with the two extensions the local mode
 * reads, so that both are exercised.
 */
final class ShopResources {

    static final String NAMESPACE = "default";
    static final String EVENT_SOURCE = "shop";
    static final String EVENT = "orders";
    static final String BIG_ORDERS_CONDITION = "order && event.data.amount > 100";

    private ShopResources() {
    }

    /**
     * Writes {@code event-source.yaml} and {@code trigger.yml} into {@code folder}.
     *
     * @return the resources the app must list as ready, as {@code Kind/namespace/name}
     */
    static String[] write(Path folder, String triggerName, String condition, URI sink) throws IOException {
        return write(folder, triggerName, condition, sink, "");
    }

    /**
     * As {@link #write(Path, String, String, URI)}, with more fields of the subscriber, e.g.
     * {@code "deadLetterTopic: orders-dead"}, one per line.
     */
    static String[] write(Path folder, String triggerName, String condition, URI sink, String subscriberFields)
            throws IOException {
        Files.writeString(folder.resolve("event-source.yaml"), """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: shop, namespace: default}
                spec:
                  eventBus: default
                  http:
                    orders: {}
                """);
        Files.writeString(folder.resolve("trigger.yml"), """
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {name: %s, namespace: default}
                spec:
                  eventBus: default
                  inputs:
                    order: {eventSource: shop, event: orders}
                  subscribers:
                  - condition: "%s"
                    sink: {uri: "%s"}
                """.formatted(triggerName, condition, sink) + subscriberFields.lines().map(line -> "    " + line + "\n")
                .collect(java.util.stream.Collectors.joining()));
        return new String[] {"EventSource/default/shop", "Trigger/default/" + triggerName};
    }
}
