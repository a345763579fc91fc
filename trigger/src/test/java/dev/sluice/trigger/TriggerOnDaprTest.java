package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ConditionTypes;
import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.dapr.FakeDaprSidecar;
import dev.sluice.bus.dapr.FakeDaprSidecarResource;
import dev.sluice.trigger.FakeFunction.Answer;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * End to end on the Dapr bus, with a stand-in for the sidecar on its gRPC contract: an event is published through
 * the Dapr SDK to the stand-in, which delivers it to the trigger's app callback exactly as daprd does; the trigger
 * delivers it to real HTTP sinks and answers SUCCESS, RETRY or DROP. The HTTP ingress on this bus is tested in
 * event-source ({@code HttpEventSourceOnDaprTest}). The default EventBus of these tests is the one in {@code src/test/resources/dapr}: {@code spec.dapr} instead of
 * {@code spec.kafka}, and nothing else changes.
 */
@QuarkusTest
@TestProfile(TriggerOnDaprTest.Profile.class)
class TriggerOnDaprTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.resources.dir", "src/test/resources/dapr",
                    "sluice.dapr.outcome-wait", "2s", "sluice.dapr.bulk-subscribe.enabled", "false",
                    "sluice.bus.publish-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeDaprSidecarResource.class));
        }
    }

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @AfterEach
    void sidecarPublishesAgain() {
        sidecar().failPublishes(null);
        sidecar().delayPublishes(Duration.ZERO);
    }

    @Test
    void everyOutcomeIsAnsweredSuccessAndEveryEventIsAccountedForById() throws Exception {
        String name = unique("dapr-orders");
        URI sink = FUNCTIONS.serve("/" + name,
                request -> Answer.of(request.body().contains("666") ? 400 : 200));
        URI dead = FUNCTIONS.serve("/" + name + "-dead", request -> Answer.of(200));
        startTrigger(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "%2$s"}
                    deadLetterSink: {uri: "%3$s"}
                """.formatted(name, sink, dead));

        kit.publishOrder(name, name + "-big", 150);
        kit.publishOrder(name, name + "-small", 5);
        kit.publishOrder(name, name + "-poison", 666);

        Set<String> in = Set.of(name + "-big", name + "-small", name + "-poison");
        String topic = BusNames.topic("default", name, "orders");
        await().atMost(PATIENCE).until(() -> in.stream().allMatch(id -> settled(topic, id)));
        // delivered, filtered out and dead-lettered: each reached its outcome at the first delivery
        in.forEach(id -> assertThat(answers(topic, id)).as(id).containsExactly(TopicEventResponseStatus.SUCCESS));
        assertThat(sidecar().published()).filteredOn(p -> p.topic().equals(topic)).hasSize(3)
                .allSatisfy(p -> assertThat(p.contentType()).isEqualTo("application/cloudevents+json"));
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(name + "-big", name + "-poison");
        assertThat(FUNCTIONS.requests("/" + name + "-dead")).extracting(FakeFunction.Request::id)
                .containsExactly(name + "-poison");
        assertThat(FUNCTIONS.requests("/" + name).get(0).body()).contains("\"amount\"");
        assertThat(kit.count("sluice.trigger.delivered", name, "delivered")).isEqualTo(1);
        assertThat(kit.count("sluice.trigger.delivered", name, "dead-lettered")).isEqualTo(1);
        assertThat(sidecar().problems()).isEmpty();
    }

    @Test
    void whileTheSinkFailsTheSidecarHearsRetryAndTheEventIsDeliveredOnceWhenItRecovers() throws Exception {
        String name = unique("dapr-flaky");
        AtomicBoolean failing = new AtomicBoolean(true);
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(failing.get() ? 503 : 200));
        startTrigger(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  delivery: {retry: 1000, backoffDelay: 50ms, backoffPolicy: linear}
                  subscribers:
                  - sink: {uri: "%2$s"}
                """.formatted(name, sink));
        String topic = BusNames.topic("default", name, "orders");

        kit.publishOrder(name, name + "-1", 10);

        await().atMost(PATIENCE).until(() -> answers(topic, name + "-1").size() >= 2);
        assertThat(answers(topic, name + "-1")).containsOnly(TopicEventResponseStatus.RETRY);
        failing.set(false);
        await().atMost(PATIENCE).until(() -> answers(topic, name + "-1").contains(TopicEventResponseStatus.SUCCESS));
        // the redeliveries joined the retries under way: the sink took the event once
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id).containsOnly(name + "-1");
        assertThat(kit.count("sluice.trigger.delivered", name, "delivered")).isEqualTo(1);
    }

    @Test
    void aMessageThatIsNotACloudEventIsDroppedAndTheTopicGoesOn() throws Exception {
        String name = unique("dapr-garbage");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        startTrigger(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                """.formatted(name, sink));
        String topic = BusNames.topic("default", name, "orders");

        sidecar().putOnBroker("pubsub", topic, "{\"not\": \"a cloudevent\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        kit.publishOrder(name, name + "-after", 1);

        await().atMost(PATIENCE).until(() -> settled(topic, name + "-after"));
        assertThat(sidecar().messages("pubsub", topic).get(0).answers()).containsExactly(TopicEventResponseStatus.DROP);
        assertThat(answers(topic, name + "-after")).containsExactly(TopicEventResponseStatus.SUCCESS);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id).containsExactly(name + "-after");
    }

    @Test
    void readinessReportsTheSidecar() {
        // the readiness probe asks the sidecar in the background: wait for its first answer; the bus shows by its
        // binding and a digest of its spec, never the spec itself
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"dapr-")).body(containsString("\"reachable\"")));
    }

    /** Applies a Trigger of this name, then restarts the sidecar so that it learns the topic. */
    private void startTrigger(String name, String spec) {
        ResourceKey key = kit.apply(name, spec);
        // daprd reads an app's subscriptions when it starts: a Trigger on a new topic waits for its restart, and says so
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kit.status(key).condition(ConditionTypes.SUBSCRIBED))
                .hasValueSatisfying(c -> assertThat(c.getMessage()).contains(BusNames.topic("default", name, "orders"))
                        .contains("restart the pod")));
        assertThat(kit.status(key).isReady()).isFalse();
        sidecar().restart();
        kit.awaitReady(key);
    }

    static boolean settled(String topic, String id) {
        return sidecar().message("pubsub", topic, id).map(FakeDaprSidecar.Message::isSettled).orElse(false);
    }

    static List<TopicEventResponseStatus> answers(String topic, String id) {
        return sidecar().message("pubsub", topic, id).map(FakeDaprSidecar.Message::answers).orElse(List.of());
    }

    static FakeDaprSidecar sidecar() {
        return FakeDaprSidecarResource.sidecar();
    }
}
