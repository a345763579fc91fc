package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.trigger.FakeFunction.Answer;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Tenants apart: names that shared a topic and a consumer group before ({@code team-a/b} and {@code team/a-b}) now
 * get exactly their own events, and a Trigger reads another namespace's source only where that source allows it.
 */
@QuarkusTest
class TriggerTenancyTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final int EVENTS = 20;

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void namesThatCollidedBeforeKeepTheirEventsApart() throws Exception {
        URI teamA = FUNCTIONS.serve("/tenancy-team-a", request -> Answer.of(200));
        URI team = FUNCTIONS.serve("/tenancy-team", request -> Answer.of(200));
        // team-a/b-c reads team-a/b; team/a-b-c reads team/a-b: before, both were group sluice-trigger-team-a-b-c
        // on topic team-a-b-orders
        ResourceKey first = kit.apply("Trigger", "team-a", "b-c", reader("b", teamA), 1);
        ResourceKey second = kit.apply("Trigger", "team", "a-b-c", reader("a-b", team), 1);
        kit.awaitReady(first);
        kit.awaitReady(second);

        List<CloudEvent> toTeamA = orders("team-a-b");
        List<CloudEvent> toTeam = orders("team-a--b");
        kit.publishAll(BusNames.topic("team-a", "b", "orders"), toTeamA);
        kit.publishAll(BusNames.topic("team", "a-b", "orders"), toTeam);

        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/tenancy-team-a").size() >= EVENTS
                && FUNCTIONS.requests("/tenancy-team").size() >= EVENTS);
        assertThat(FUNCTIONS.requests("/tenancy-team-a")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrderElementsOf(ids(toTeamA));
        assertThat(FUNCTIONS.requests("/tenancy-team")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrderElementsOf(ids(toTeam));
        kit.delete(first);
        kit.delete(second);
    }

    @Test
    void anotherNamespacesSourceIsReadOnlyWhereItAllowsThatNamespace() throws Exception {
        URI sink = FUNCTIONS.serve("/tenancy-guest", request -> Answer.of(200));
        ResourceKey source = kit.apply("EventSource", "host", "shop", "  http: {orders: {}}\n", 1);
        ResourceKey guest = kit.apply("Trigger", "guest", "reader", """
                  inputs:
                    order: {eventSource: shop, event: orders, namespace: host}
                  subscribers:
                  - sink: {uri: "%s"}
                """.formatted(sink), 1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kit.status(guest).condition(Condition.READY))
                .hasValueSatisfying(ready -> {
                    assertThat(ready.getReason()).isEqualTo("NamespaceNotAllowed");
                    assertThat(ready.getMessage()).contains("spec.inputs.order.namespace", "spec.allowedNamespaces");
                }));

        kit.apply("EventSource", "host", "shop", "  allowedNamespaces: [guest]\n  http: {orders: {}}\n", 2);
        kit.awaitReady(guest);
        List<CloudEvent> orders = orders("host-shop");
        kit.publishAll(BusNames.topic("host", "shop", "orders"), orders);
        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/tenancy-guest").size() >= EVENTS);
        assertThat(FUNCTIONS.requests("/tenancy-guest")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrderElementsOf(ids(orders));
        kit.delete(guest);
        kit.delete(source);
    }

    @Test
    void aTopicDestinationCannotWriteIntoAnotherNamespacesBusTopic() {
        ResourceKey source = kit.apply("EventSource", "victim", "payments", "  http: {paid: {}}\n", 1);
        ResourceKey writer = kit.apply("Trigger", "intruder", "forger", """
                  inputs:
                    order: {eventSource: own, event: orders}
                  subscribers:
                  - topic: %s
                """.formatted(BusNames.topic("victim", "payments", "paid")), 1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kit.status(writer).condition(Condition.READY))
                .hasValueSatisfying(ready -> {
                    assertThat(ready.getReason()).isEqualTo("TopicNotAllowed");
                    assertThat(ready.getMessage()).contains("spec.subscribers[0].topic", "victim");
                }));
        kit.delete(writer);
        kit.delete(source);
    }

    private static String reader(String eventSource, URI sink) {
        return """
                  inputs:
                    order: {eventSource: %s, event: orders}
                  subscribers:
                  - sink: {uri: "%s"}
                """.formatted(eventSource, sink);
    }

    private static List<CloudEvent> orders(String prefix) {
        return IntStream.range(0, EVENTS).mapToObj(i -> order(prefix + "-" + i, i)).toList();
    }

    private static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getId).toList();
    }
}
