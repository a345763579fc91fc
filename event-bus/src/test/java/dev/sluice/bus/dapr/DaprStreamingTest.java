package dev.sluice.bus.dapr;

import static dev.sluice.bus.dapr.DaprBusTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.eventbus.DaprBusSpec;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Dapr bus with streaming subscriptions ({@code sluice.dapr.subscriptions=streaming}): the app opens a stream
 * per topic to the stand-in sidecar whenever a group needs it, with no app callback and no sidecar restart.
 */
@QuarkusTest
@TestProfile(DaprStreamingTest.Profile.class)
class DaprStreamingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicInteger NAMES = new AtomicInteger();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.dapr.subscriptions", "streaming",
                    "sluice.dapr.outcome-wait", "300ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeDaprSidecarResource.class, Map.of("appCallback", "false")));
        }
    }

    @Inject
    Buses buses;

    @Test
    void aTopicSubscribedAtAnyTimeIsStreamedAtOnceAndTheStreamClosesWithItsLastGroup() throws Exception {
        String topic = topic();
        Set<String> received = ConcurrentHashMap.newKeySet();
        BusSubscription subscription = bus().subscribe("streamed-" + topic, List.of(topic), event -> {
            received.add(event.event().getId());
            return CompletableFuture.completedFuture(null);
        });
        await().atMost(PATIENCE).until(subscription::isAssigned);
        assertThat(sidecar().openStreams()).contains("pubsub/" + topic);

        List<String> ids = IntStream.range(0, 10).mapToObj(i -> topic + "-" + i).toList();
        for (String id : ids) {
            bus().publish(topic, order(id, 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        await().atMost(PATIENCE).until(() -> received.equals(Set.copyOf(ids)));
        await().atMost(PATIENCE).until(() -> sidecar().messages("pubsub", topic).stream()
                .allMatch(FakeDaprSidecar.Message::isSettled));
        assertThat(sidecar().messages("pubsub", topic))
                .allSatisfy(m -> assertThat(m.answers()).containsExactly(TopicEventResponseStatus.SUCCESS));
        subscription.close();
        await().atMost(PATIENCE).until(() -> !sidecar().openStreams().contains("pubsub/" + topic));
        assertThat(sidecar().problems()).isEmpty();
    }

    @Test
    void answersRetryAndDropDownTheStream() throws Exception {
        String topic = topic();
        AtomicInteger calls = new AtomicInteger();
        try (BusSubscription subscription = bus().subscribe("flaky-" + topic, List.of(topic),
                event -> calls.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(new IllegalStateException("first try fails"))
                        : CompletableFuture.completedFuture(null))) {
            await().atMost(PATIENCE).until(subscription::isAssigned);

            sidecar().putOnBroker("pubsub", topic, "not json".getBytes(StandardCharsets.UTF_8), "text/plain");
            bus().publish(topic, order(topic + "-1", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            await().atMost(PATIENCE).until(() -> answers(topic, topic + "-1").contains(TopicEventResponseStatus.SUCCESS));
            assertThat(sidecar().messages("pubsub", topic).get(0).answers())
                    .containsExactly(TopicEventResponseStatus.DROP);
            assertThat(answers(topic, topic + "-1")).containsExactly(TopicEventResponseStatus.RETRY,
                    TopicEventResponseStatus.SUCCESS);
        }
    }

    @Test
    void aStreamThatBreaksIsOpenedAgain() throws Exception {
        String topic = topic();
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (BusSubscription subscription = bus().subscribe("resumed-" + topic, List.of(topic), event -> {
            received.add(event.event().getId());
            return CompletableFuture.completedFuture(null);
        })) {
            await().atMost(PATIENCE).until(subscription::isAssigned);

            sidecar().restart();
            bus().publish(topic, order(topic + "-after-restart", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            await().atMost(PATIENCE).until(() -> received.contains(topic + "-after-restart"));
            assertThat(subscription.isAssigned()).isTrue();
        }
    }

    private List<TopicEventResponseStatus> answers(String topic, String id) {
        return sidecar().message("pubsub", topic, id).map(FakeDaprSidecar.Message::answers).orElse(List.of());
    }

    private Bus bus() {
        DaprBusSpec dapr = new DaprBusSpec();
        dapr.setPubsubName("pubsub");
        EventBusSpec spec = new EventBusSpec();
        spec.setDapr(dapr);
        return buses.open(spec, "default").bus();
    }

    private static FakeDaprSidecar sidecar() {
        return FakeDaprSidecarResource.sidecar();
    }

    private static String topic() {
        return "dapr-stream-test-" + NAMES.incrementAndGet();
    }
}
