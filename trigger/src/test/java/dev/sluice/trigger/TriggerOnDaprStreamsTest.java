package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerOnDaprTest.answers;
import static dev.sluice.trigger.TriggerOnDaprTest.settled;
import static dev.sluice.trigger.TriggerOnDaprTest.sidecar;
import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.dapr.FakeDaprSidecarResource;
import dev.sluice.trigger.FakeFunction.Answer;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * End to end on the Dapr bus with streaming subscriptions: a Trigger made at any time is delivered at once, with
 * no sidecar restart, and its stream closes when the Trigger goes.
 */
@QuarkusTest
@TestProfile(TriggerOnDaprStreamsTest.Profile.class)
class TriggerOnDaprStreamsTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.resources.dir", "src/test/resources/dapr",
                    "sluice.dapr.subscriptions", "streaming", "sluice.dapr.outcome-wait", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeDaprSidecarResource.class, Map.of("appCallback", "false")));
        }
    }

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void aNewTriggerIsDeliveredAtOnceAndItsStreamClosesWhenItIsDeleted() throws Exception {
        String name = unique("dapr-streamed");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        ResourceKey trigger = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "%2$s"}
                """.formatted(name, sink));
        kit.awaitReady(trigger);
        String topic = BusNames.topic("default", name, "orders");

        kit.publishOrder(name, name + "-big", 150);
        kit.publishOrder(name, name + "-small", 5);

        await().atMost(PATIENCE).until(() -> settled(topic, name + "-big") && settled(topic, name + "-small"));
        assertThat(answers(topic, name + "-big")).containsExactly(TopicEventResponseStatus.SUCCESS);
        assertThat(answers(topic, name + "-small")).containsExactly(TopicEventResponseStatus.SUCCESS);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id).containsExactly(name + "-big");
        assertThat(sidecar().openStreams()).contains("pubsub/" + topic);

        kit.delete(trigger);
        await().atMost(PATIENCE).until(() -> !sidecar().openStreams().contains("pubsub/" + topic));
        assertThat(sidecar().problems()).isEmpty();
    }
}
