package dev.sluice.bus.dapr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;

import dev.sluice.api.eventbus.DaprBusSpec;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.dapr.v1.AppCallbackGrpc;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Dapr bus against its contract: publishing through the SDK to a stand-in sidecar, and the sidecar's
 * deliveries to the app callback (in bulk, as configured by default), with the SUCCESS, RETRY and DROP answers.
 */
@QuarkusTest
@TestProfile(DaprBusTest.Profile.class)
class DaprBusTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicInteger NAMES = new AtomicInteger();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.dapr.outcome-wait", "300ms",
                    "sluice.dapr.unsubscribed-grace", "5s", "sluice.bus.publish-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeDaprSidecarResource.class));
        }
    }

    @Inject
    Buses buses;

    @Inject
    MeterRegistry registry;

    private final ObjectMapper json = new ObjectMapper();
    private final List<BusSubscription> subscriptions = new CopyOnWriteArrayList<>();

    @AfterEach
    void resetSidecar() {
        subscriptions.forEach(BusSubscription::close);
        sidecar().failPublishes(null);
        sidecar().delayPublishes(Duration.ZERO);
    }

    @Inject
    DaprAppCallback callback;

    /**
     * With an app API token (APP_API_TOKEN, as {@code dapr.io/app-token-secret} gives it), a call to the app callback
     * without the sidecar's {@code dapr-api-token}, or with another, is UNAUTHENTICATED; the sidecar's own calls,
     * which carry it, are what every other test here delivers through.
     */
    @Test
    void theAppCallbackRefusesCallsWithoutTheSidecarsAppToken() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", callback.port()).usePlaintext().build();
        try {
            TopicEventRequest delivery = TopicEventRequest.newBuilder().setPubsubName("pubsub").setTopic(topic())
                    .setId("forged").setData(ByteString.copyFromUtf8("{}")).build();
            assertThatThrownBy(() -> AppCallbackGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .onTopicEvent(delivery)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("no dapr-api-token");
                    });
            Metadata wrong = new Metadata();
            wrong.put(DaprAppToken.HEADER, "not-the-token");
            assertThatThrownBy(() -> AppCallbackGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(wrong))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).listTopicSubscriptions(Empty.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.UNAUTHENTICATED));
        } finally {
            channel.shutdownNow();
        }
        assertThat(sidecar().isConnected()).as("the sidecar, which sends the token, is connected").isTrue();
    }

    @Test
    void publishesTheCloudEventAsItIsOnlyOnceTheSidecarAcknowledged() throws Exception {
        String topic = topic();
        CloudEvent event = CloudEventBuilder.v1(order("p-1", 5)).withSubject("order-7").withExtension("tenant", "acme")
                .build();
        sidecar().delayPublishes(Duration.ofMillis(500));

        CompletableFuture<Void> ack = bus().publish(topic, event).toCompletableFuture();

        assertThat(ack).isNotDone();
        ack.get(10, TimeUnit.SECONDS);
        FakeDaprSidecar.Published published = sidecar().published().stream().filter(p -> p.topic().equals(topic))
                .findFirst().orElseThrow();
        assertThat(published.pubsubName()).isEqualTo("pubsub");
        assertThat(published.contentType()).isEqualTo("application/cloudevents+json");
        assertThat(published.metadata()).containsEntry("rawPayload", "true").containsEntry("partitionKey", "order-7");
        JsonNode structured = json.readTree(published.data());
        assertThat(structured.path("id").asText()).isEqualTo("p-1");
        assertThat(structured.path("subject").asText()).isEqualTo("order-7");
        assertThat(structured.path("tenant").asText()).isEqualTo("acme");
        assertThat(structured.path("data").path("amount").asInt()).isEqualTo(5);
        // one envelope, and none of the attributes daprd stamps on events it wraps or forwards
        assertThat(structured.has("topic") || structured.has("pubsubname") || structured.has("traceid")).isFalse();
        assertThat(structured.path("data").has("specversion")).isFalse();
        assertThat(sidecar().messages("pubsub", topic)).singleElement()
                .satisfies(m -> assertThat(m.payload()).isEqualTo(published.data()));
    }

    @Test
    void aPublishTheSidecarRefusesFails() {
        sidecar().failPublishes(Status.UNAVAILABLE.withDescription("component down"));

        CompletableFuture<Void> ack = bus().publish(topic(), order("p-2", 1)).toCompletableFuture();

        assertThatThrownBy(() -> ack.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("component down");
    }

    @Test
    void aPublishTheSidecarDoesNotAcknowledgeInTimeFails() {
        sidecar().delayPublishes(Duration.ofSeconds(5));

        CompletableFuture<Void> ack = bus().publish(topic(), order("p-3", 1)).toCompletableFuture();

        assertThatThrownBy(() -> ack.get(4, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void everyGroupOfATopicGetsEveryEventExactlyAsPublishedAndTheSidecarHearsSuccess() throws Exception {
        String topic = topic();
        Map<String, Set<String>> received = Map.of("a", ConcurrentHashMap.newKeySet(), "b", ConcurrentHashMap.newKeySet());
        List<CloudEvent> seen = new CopyOnWriteArrayList<>();
        subscribe("group-a", topic, event -> {
            received.get("a").add(event.event().getId());
            seen.add(event.event());
            return CompletableFuture.completedFuture(null);
        });
        subscribe("group-b", topic, event -> {
            received.get("b").add(event.event().getId());
            return CompletableFuture.completedFuture(null);
        });
        awaitAssigned();

        List<CloudEvent> events = IntStream.range(0, 20).mapToObj(i -> order(topic + "-" + i, i)).toList();
        for (CloudEvent event : events) {
            bus().publish(topic, event).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        Set<String> ids = Set.copyOf(events.stream().map(CloudEvent::getId).toList());
        await().atMost(PATIENCE).until(() -> received.get("a").equals(ids) && received.get("b").equals(ids));
        await().atMost(PATIENCE).until(() -> sidecar().messages("pubsub", topic).stream()
                .allMatch(FakeDaprSidecar.Message::isSettled));
        assertThat(sidecar().messages("pubsub", topic)).hasSize(20)
                .allSatisfy(m -> assertThat(m.answers()).containsExactly(TopicEventResponseStatus.SUCCESS));
        CloudEvent first = seen.stream().filter(e -> e.getId().equals(topic + "-0")).findFirst().orElseThrow();
        CloudEvent original = events.get(0);
        assertThat(first.getSource()).isEqualTo(original.getSource());
        assertThat(first.getType()).isEqualTo(original.getType());
        assertThat(first.getDataContentType()).isEqualTo(original.getDataContentType());
        assertThat(first.getData().toBytes()).isEqualTo(original.getData().toBytes());
        assertThat(first.getExtensionNames()).doesNotContain("topic", "pubsubname");
        assertThat(sidecar().problems()).isEmpty();
    }

    @Test
    void aPendingOutcomeIsAnsweredRetryAndTheRedeliveryJoinsItInsteadOfDeliveringAgain() throws Exception {
        String topic = topic();
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicInteger handled = new AtomicInteger();
        subscribe("slow", topic, event -> {
            handled.incrementAndGet();
            return release;
        });
        awaitAssigned();

        bus().publish(topic, order("slow-1", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> answers(topic, "slow-1").size() >= 2);
        assertThat(answers(topic, "slow-1")).containsOnly(TopicEventResponseStatus.RETRY);
        release.complete(null);
        await().atMost(PATIENCE).until(() -> answers(topic, "slow-1").contains(TopicEventResponseStatus.SUCCESS));
        assertThat(handled).hasValue(1);
    }

    @Test
    void onlyTheGroupThatFailedIsHandedTheRedelivery() throws Exception {
        String topic = topic();
        AtomicInteger flakyCalls = new AtomicInteger();
        AtomicInteger steadyCalls = new AtomicInteger();
        subscribe("flaky", topic, event -> flakyCalls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("first try fails"))
                : CompletableFuture.completedFuture(null));
        subscribe("steady", topic, event -> {
            steadyCalls.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        awaitAssigned();

        bus().publish(topic, order("flaky-1", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> answers(topic, "flaky-1").contains(TopicEventResponseStatus.SUCCESS));
        assertThat(answers(topic, "flaky-1")).containsExactly(TopicEventResponseStatus.RETRY,
                TopicEventResponseStatus.SUCCESS);
        assertThat(flakyCalls).hasValue(2);
        assertThat(steadyCalls).hasValue(1);
    }

    @Test
    void aMessageThatIsNotACloudEventIsDroppedAndCounted() throws Exception {
        String topic = topic();
        List<BusEvent> handled = new CopyOnWriteArrayList<>();
        subscribe("strict", topic, event -> {
            handled.add(event);
            return CompletableFuture.completedFuture(null);
        });
        awaitAssigned();
        double droppedBefore = dropped();

        sidecar().putOnBroker("pubsub", topic, "temperature=21".getBytes(StandardCharsets.UTF_8), "text/plain");
        bus().publish(topic, order("after-garbage", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> handled.size() == 1);
        FakeDaprSidecar.Message garbage = sidecar().messages("pubsub", topic).get(0);
        assertThat(garbage.answers()).containsExactly(TopicEventResponseStatus.DROP);
        assertThat(handled.get(0).event().getId()).isEqualTo("after-garbage");
        assertThat(dropped()).isEqualTo(droppedBefore + 1);
    }

    @Test
    void eventsOfATopicWhoseLastGroupJustLeftAreRetriedThenConsumed() throws Exception {
        String topic = topic();
        BusSubscription leaving = subscribe("leaving", topic, event -> CompletableFuture.completedFuture(null));
        awaitAssigned();
        leaving.close();

        bus().publish(topic, order("orphan-1", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> answers(topic, "orphan-1").contains(TopicEventResponseStatus.SUCCESS));
        assertThat(answers(topic, "orphan-1").get(0)).isEqualTo(TopicEventResponseStatus.RETRY);
    }

    @Test
    void aTopicSubscribedAfterTheSidecarStartedIsDeliveredOnceTheSidecarRestarts() throws Exception {
        awaitAssigned();
        String topic = topic();
        BusSubscription late = subscribe("late", topic, event -> CompletableFuture.completedFuture(null));

        assertThat(late.isAssigned()).isFalse();
        sidecar().restart();
        await().atMost(PATIENCE).until(late::isAssigned);
    }

    @Test
    void theBusIsReachableOnlyWhenTheSidecarHasTheComponent() {
        assertThat(bus().isReachable(Duration.ofSeconds(5))).isTrue();
        assertThat(buses.open(spec("not-loaded"), "default").bus().isReachable(Duration.ofSeconds(5))).isFalse();
        assertThat(bus().ensureTopics(List.of("anything")).toCompletableFuture()).isCompleted();
    }

    private BusSubscription subscribe(String group, String topic, dev.sluice.bus.BusEventHandler handler) {
        BusSubscription subscription = bus().subscribe(group + "-" + topic, List.of(topic), handler);
        subscriptions.add(subscription);
        return subscription;
    }

    /** Restarts the sidecar so that it learns the subscriptions made since it started, and waits for them. */
    private void awaitAssigned() {
        sidecar().restart();
        await().atMost(PATIENCE).until(() -> sidecar().isConnected()
                && subscriptions.stream().allMatch(BusSubscription::isAssigned));
    }

    private List<TopicEventResponseStatus> answers(String topic, String id) {
        return sidecar().message("pubsub", topic, id).map(FakeDaprSidecar.Message::answers).orElse(List.of());
    }

    private double dropped() {
        var counter = registry.find("sluice.bus.dapr.answered").tag("status", "drop").counter();
        return counter == null ? 0 : counter.count();
    }

    private Bus bus() {
        return buses.open(spec("pubsub"), "default").bus();
    }

    private static EventBusSpec spec(String pubsubName) {
        DaprBusSpec dapr = new DaprBusSpec();
        dapr.setPubsubName(pubsubName);
        EventBusSpec spec = new EventBusSpec();
        spec.setDapr(dapr);
        return spec;
    }

    private static FakeDaprSidecar sidecar() {
        return FakeDaprSidecarResource.sidecar();
    }

    private static String topic() {
        return "dapr-bus-test-" + NAMES.incrementAndGet();
    }

    static CloudEvent order(String id, int amount) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop/orders")).withType("shop.order.created")
                .withDataContentType("application/json")
                .withData(("{\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8)).build();
    }
}
