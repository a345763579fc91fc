package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * Each Trigger, and each subscriber of a Trigger, is its own consumer group: one whose sink is stuck retrying holds
 * up no other.
 */
@QuarkusTest
class TriggerIsolationTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final int EVENTS = 50;
    /** More than a consumer group holds in flight (200): a shared group would stop reading for every subscriber. */
    private static final int OUTAGE_EVENTS = 500;

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

    @Test
    void aSubscriberWhoseSinkIsDownHoldsUpNoOtherSubscriberAndGetsEveryEventOnceItIsBack() throws Exception {
        String source = unique("outage");
        AtomicBoolean sinkDown = new AtomicBoolean(true);
        Set<String> deliveredAfterOutage = ConcurrentHashMap.newKeySet();
        URI down = FUNCTIONS.serve("/" + source + "-down", request -> {
            if (sinkDown.get()) {
                return Answer.of(503);
            }
            deliveredAfterOutage.add(request.id());
            return Answer.of(200);
        });
        URI healthy = FUNCTIONS.serve("/" + source + "-up", request -> Answer.of(200));
        // the outage is scaled down from minutes to seconds; a retry budget that outlasts it loses nothing
        ResourceKey trigger = kit.apply(source, """
                  inputs:
                    order: {eventSource: %s, event: orders}
                  delivery: {retry: 10000, backoffDelay: 100ms, backoffPolicy: linear, retryAfterMax: 1s}
                  subscribers:
                  - sink: {uri: "%s"}
                  - sink: {uri: "%s"}
                """.formatted(source, down, healthy));
        kit.awaitReady(trigger);

        List<CloudEvent> orders = IntStream.range(0, OUTAGE_EVENTS).mapToObj(i -> order(source + "-" + i, i)).toList();
        List<String> ids = orders.stream().map(CloudEvent::getId).toList();
        kit.publish(BusNames.topic("default", source, "orders"), orders);

        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + source + "-up").size() >= OUTAGE_EVENTS);
        assertThat(FUNCTIONS.requests("/" + source + "-up")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(FUNCTIONS.requests("/" + source + "-down")).as("the subscriber whose sink is down kept trying")
                .isNotEmpty();

        sinkDown.set(false);
        await().atMost(PATIENCE).until(() -> deliveredAfterOutage.size() >= OUTAGE_EVENTS);
        assertThat(deliveredAfterOutage).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(kit.count("sluice.trigger.delivered", source, "dead-lettered")
                + kit.count("sluice.trigger.delivered", source, "dropped")).isZero();
        kit.delete(trigger);
    }
}
