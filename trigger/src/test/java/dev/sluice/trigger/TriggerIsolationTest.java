package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.trigger.FakeFunction.Answer;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;

/** Each Trigger is its own consumer group: one whose sink is stuck retrying holds up no other Trigger. */
@QuarkusTest
class TriggerIsolationTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final int EVENTS = 50;

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void aTriggerStuckOnItsSinkDoesNotHoldUpAnotherOnTheSameInput() throws Exception {
        String source = unique("shared");
        AtomicBoolean stuckSinkDown = new AtomicBoolean(true);
        URI stuck = FUNCTIONS.serve("/" + source + "-stuck", request -> Answer.of(stuckSinkDown.get() ? 503 : 200));
        URI healthy = FUNCTIONS.serve("/" + source + "-healthy", request -> Answer.of(200));
        String spec = """
                  inputs:
                    order: {eventSource: %s, event: orders}
                  delivery: {retry: 1000, backoffDelay: 50ms, backoffPolicy: linear}
                  subscribers:
                  - sink: {uri: "%s"}
                """;
        ResourceKey stuckTrigger = kit.apply(source + "-stuck", spec.formatted(source, stuck));
        ResourceKey healthyTrigger = kit.apply(source + "-healthy", spec.formatted(source, healthy));
        kit.awaitReady(stuckTrigger);
        kit.awaitReady(healthyTrigger);

        List<CloudEvent> orders = IntStream.range(0, EVENTS).mapToObj(i -> order(source + "-" + i, i)).toList();
        kit.publish(BusNames.topic("default", source, "orders"), orders);

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", source + "-healthy", "delivered") == EVENTS);
        assertThat(FUNCTIONS.requests("/" + source + "-healthy")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrderElementsOf(orders.stream().map(CloudEvent::getId).toList());
        assertThat(kit.count("sluice.trigger.delivered", source + "-stuck", "delivered")).isZero();
        assertThat(FUNCTIONS.requests("/" + source + "-stuck")).as("the stuck Trigger was trying meanwhile").isNotEmpty();

        stuckSinkDown.set(false);
        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", source + "-stuck", "delivered") == EVENTS);
        assertThat(kit.count("sluice.trigger.delivered", source + "-stuck", "dead-lettered")
                + kit.count("sluice.trigger.delivered", source + "-stuck", "dropped")).isZero();
        kit.delete(stuckTrigger);
        kit.delete(healthyTrigger);
    }
}
