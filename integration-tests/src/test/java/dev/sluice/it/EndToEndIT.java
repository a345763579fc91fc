package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP ingestion → embedded Kafka bus → Trigger with a CEL condition → HTTP sink, in the packaged
 * local-mode app: every event answered 202 that matches the condition reaches the sink, and no other.
 */
class EndToEndIT {

    private static final int EVENTS = 10_000;
    private static final int CONCURRENCY = 32;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    @Test
    void everyMatchingEventIsDeliveredAndNoOther() throws Exception {
        try (RecordingSink sink = RecordingSink.start()) {
            sluice.start(ShopResources.write(sluice.resourcesDir(), "big-orders",
                    ShopResources.BIG_ORDERS_CONDITION, sink.uri()));
            Poster poster = new Poster(sluice.client(),
                    sluice.ingress(ShopResources.NAMESPACE, ShopResources.EVENT_SOURCE, ShopResources.EVENT),
                    CONCURRENCY);

            long start = System.nanoTime();
            for (int number = 0; number < EVENTS; number++) {
                poster.post(OrderEvent.numbered("e2e", number));
            }
            poster.awaitIdle();
            long postMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(poster.outcomes()).as("answers to the %d POSTs", EVENTS)
                    .isEqualTo(Map.of("202", (long) EVENTS));
            Set<String> matching = Poster.bigOrderIds(poster.accepted());
            assertThat(matching).as("events that match the condition").hasSize(EVENTS / 2);

            try {
                await("every matching event reaches the sink")
                        .atMost(DELIVERY_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .failFast("sluice exited", () -> !sluice.isAlive())
                        .untilAsserted(() -> {
                            Set<String> missing = sink.missing(matching);
                            assertThat(missing.size()).as("matching events not delivered yet, e.g. %s",
                                    missing.stream().limit(10).toList()).isZero();
                        });
                sink.awaitQuiet(Duration.ofSeconds(2));
            } finally {
                // Both times count from the first POST, so deliver-ms >= post-ms when delivery keeps up.
                long deliverMs = sink.lastNewIdNanos() == 0 ? -1
                        : TimeUnit.NANOSECONDS.toMillis(sink.lastNewIdNanos() - start);
                System.out.printf("E2E: posted=%d accepted=%d matching=%d delivered-unique=%d duplicates=%d"
                                + " post-ms=%d deliver-ms=%d%n",
                        poster.attempted().size(), poster.acceptedCount(), matching.size(), sink.ids().size(),
                        sink.duplicates(), postMs, deliverMs);
            }

            Set<String> unexpected = sink.unexpected(matching);
            assertThat(unexpected.size()).as("delivered ids that do not match the condition, e.g. %s",
                    unexpected.stream().limit(10).toList()).isZero();
            Set<String> missing = sink.missing(matching);
            assertThat(missing.size()).as("matching ids never delivered, e.g. %s",
                    missing.stream().limit(10).toList()).isZero();
            assertThat(sink.requestsWithoutId()).as("sink requests without a ce-id header").isZero();
            assertThat(sink.requestsNotPost()).as("sink requests that were not POST").isZero();
        }
    }
}
