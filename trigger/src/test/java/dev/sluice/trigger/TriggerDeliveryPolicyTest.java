package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.trigger.FakeFunction.Answer;
import dev.sluice.trigger.FakeFunction.Request;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.junit.QuarkusTest;

/** Delivery policies, ordering, filters, replies and spec changes, on the embedded Kafka broker. */
@QuarkusTest
class TriggerDeliveryPolicyTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void aThrottlingSinkIsRetriedAfterItsRetryAfterUpToRetryAfterMax() throws Exception {
        String name = unique("throttled");
        URI patient = FUNCTIONS.serve("/" + name + "-patient", (request, before) -> before < 2
                ? new Answer(429, "slow down", Map.of("Retry-After", "1"))
                : Answer.of(200));
        URI capped = FUNCTIONS.serve("/" + name + "-capped", (request, before) -> before < 1
                ? new Answer(429, "slow down", Map.of("Retry-After", "3600"))
                : Answer.of(200));
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  delivery: {backoffDelay: 10ms, retryAfterMax: 30s}
                  subscribers:
                  - sink: {uri: "%2$s"}
                  - sink: {uri: "%3$s"}
                    delivery: {retryAfterMax: PT0.3S}
                """.formatted(name, patient, capped));
        kit.awaitReady(key);

        kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-1", 1)));

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 2);
        List<Request> patientRequests = FUNCTIONS.requests("/" + name + "-patient");
        assertThat(patientRequests).hasSize(3);
        assertThat(gaps(patientRequests)).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(900)));
        List<Request> cappedRequests = FUNCTIONS.requests("/" + name + "-capped");
        assertThat(cappedRequests).hasSize(2);
        assertThat(gaps(cappedRequests).get(0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertThat(kit.count("sluice.trigger.retried", name, null)).isEqualTo(3);
    }

    @Test
    void orderedDeliveryKeepsThePartitionsOrderAcrossRetries() throws Exception {
        String name = unique("ordered");
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        List<String> accepted = new CopyOnWriteArrayList<>();
        URI sink = FUNCTIONS.serve("/" + name, request -> {
            int attempt = attempts.merge(request.id(), 1, Integer::sum);
            boolean failsFirst = Integer.parseInt(request.id().substring(request.id().lastIndexOf('-') + 1)) % 3 == 0;
            if (failsFirst && attempt == 1) {
                return Answer.of(503);
            }
            accepted.add(request.id());
            return Answer.of(200);
        });
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    delivery: {ordering: ordered, backoffDelay: 30ms}
                """.formatted(name, sink));
        kit.awaitReady(key);

        List<CloudEvent> orders = IntStream.range(0, 30).mapToObj(i -> order(name + "-" + i, i)).toList();
        kit.publish(BusNames.topic("default", name, "orders"), orders);

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 30);
        List<String> published = orders.stream().map(CloudEvent::getId).toList();
        assertThat(accepted).containsExactlyElementsOf(published);
        List<String> expectedRequests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expectedRequests.add(published.get(i));
            if (i % 3 == 0) {
                expectedRequests.add(published.get(i)); // its retry, before the next event
            }
        }
        assertThat(FUNCTIONS.requests("/" + name)).extracting(Request::id).containsExactlyElementsOf(expectedRequests);
    }

    @Test
    void aThousandEventsWithOneInTenPoisonedAreAllDeliveredOrDeadLettered() throws Exception {
        String name = unique("poison");
        URI sink = FUNCTIONS.serve("/" + name,
                request -> new Answer(request.body().contains("poison") ? 400 : 200, "bad amount", Map.of()));
        String deadTopic = name + "-dead";
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    deadLetterTopic: %3$s
                    delivery: {ordering: unordered, maxInFlight: 50}
                """.formatted(name, sink, deadTopic));
        kit.awaitReady(key);
        try (TriggerTestKit.TopicWatcher dead = kit.watch(deadTopic)) {
            List<CloudEvent> orders = IntStream.range(0, 1000)
                    .mapToObj(i -> order(name + "-" + i, i % 10 == 0 ? "\"poison\"" : String.valueOf(i))).toList();
            kit.publishAll(BusNames.topic("default", name, "orders"), orders);

            await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 900
                    && kit.count("sluice.trigger.delivered", name, "dead-lettered") == 100);
            await().atMost(PATIENCE).until(() -> dead.events.size() >= 100);

            Set<String> poison = IntStream.range(0, 1000).filter(i -> i % 10 == 0).mapToObj(i -> name + "-" + i)
                    .collect(Collectors.toSet());
            Set<String> good = orders.stream().map(CloudEvent::getId).filter(id -> !poison.contains(id))
                    .collect(Collectors.toSet());
            List<String> requested = FUNCTIONS.requests("/" + name).stream().map(Request::id).toList();
            assertThat(requested).hasSize(1000).doesNotHaveDuplicates();
            assertThat(requested.stream().filter(good::contains).count()).isEqualTo(900);
            assertThat(dead.events).extracting(CloudEvent::getId).hasSize(100)
                    .containsExactlyInAnyOrderElementsOf(poison);
            assertThat(kit.count("sluice.trigger.delivered", name, "dropped")).isZero();
        }
    }

    @Test
    void filtersPassOnlyTheEventsTheySelect() throws Exception {
        String name = unique("filtered");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    filters:
                    - exact: {type: shop.order.created}
                    - cesql: "source LIKE '/shop/%%' AND region = 'eu'"
                """.formatted(name, sink));
        kit.awaitReady(key);

        CloudEvent pass = CloudEventBuilder.v1(order(name + "-pass", 1)).withExtension("region", "eu").build();
        CloudEvent wrongType = CloudEventBuilder.v1(pass).withId(name + "-type").withType("shop.order.cancelled").build();
        CloudEvent wrongRegion = CloudEventBuilder.v1(pass).withId(name + "-region").withExtension("region", "us").build();
        CloudEvent noRegion = order(name + "-none", 1);
        kit.publish(BusNames.topic("default", name, "orders"), List.of(wrongType, pass, wrongRegion, noRegion));

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.evaluated", name, "matched")
                + kit.count("sluice.trigger.evaluated", name, "unmatched")
                + kit.count("sluice.trigger.evaluated", name, "error") == 4);
        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 1);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(Request::id).containsExactly(name + "-pass");
        assertThat(kit.count("sluice.trigger.evaluated", name, "error")).isEqualTo(1); // no region attribute
    }

    /** With the SDK's regex LIKE the first event took minutes (100 characters already did), and its partition waited. */
    @Test
    void aLikeThatUsedToBacktrackOnALongAttributeNeitherStallsNorMisjudgesTheEventsBehindIt() throws Exception {
        String name = unique("like");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    filters:
                    - cesql: "EXISTS note AND note LIKE '%%a%%a%%a%%a%%a%%a%%b'"
                """.formatted(name, sink));
        kit.awaitReady(key);

        String as = "a".repeat(4_000);
        List<CloudEvent> events = new ArrayList<>();
        events.add(CloudEventBuilder.v1(order(name + "-long", 1)).withExtension("note", as).build());
        events.add(CloudEventBuilder.v1(order(name + "-long-b", 2)).withExtension("note", as + "b").build());
        IntStream.range(0, 8).forEach(i -> events.add(CloudEventBuilder.v1(order(name + "-" + i, i))
                .withExtension("note", i % 2 == 0 ? "abababababab" : "aaaaaa").build()));
        kit.publish(BusNames.topic("default", name, "orders"), events);

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.evaluated", name, "matched")
                + kit.count("sluice.trigger.evaluated", name, "unmatched") == events.size());
        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 5);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(Request::id).containsExactlyInAnyOrder(
                name + "-long-b", name + "-0", name + "-2", name + "-4", name + "-6");
        assertThat(kit.count("sluice.trigger.evaluated", name, "unmatched")).isEqualTo(5);
        assertThat(kit.count("sluice.trigger.evaluated", name, "error")).isZero();
    }

    @Test
    void aSinksReplyIsPublishedToTheReplyTopic() throws Exception {
        String name = unique("replies");
        URI sink = FUNCTIONS.serve("/" + name, request -> new Answer(200, "{\"shipped\":true}", Map.of(
                "ce-specversion", "1.0", "ce-id", "reply-of-" + request.id(), "ce-source", "/functions/ship",
                "ce-type", "shop.order.shipped", "content-type", "application/json")));
        String replyTopic = name + "-replies";
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    replyTopic: %3$s
                """.formatted(name, sink, replyTopic));
        kit.awaitReady(key);
        try (TriggerTestKit.TopicWatcher replies = kit.watch(replyTopic)) {
            kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-1", 1), order(name + "-2", 2)));

            await().atMost(PATIENCE).until(() -> replies.events.size() == 2);
            assertThat(replies.events).extracting(CloudEvent::getId)
                    .containsExactlyInAnyOrder("reply-of-" + name + "-1", "reply-of-" + name + "-2");
            assertThat(replies.events.get(0).getType()).isEqualTo("shop.order.shipped");
            assertThat(new String(replies.events.get(0).getData().toBytes())).isEqualTo("{\"shipped\":true}");
            // the counter moves once the producer's acknowledgement comes back, which can follow the reply onto the topic
            await().atMost(PATIENCE).untilAsserted(
                    () -> assertThat(kit.count("sluice.trigger.replied", name, "published")).isEqualTo(2));
        }
    }

    @Test
    void aChangedTriggerResumesWhereItStoppedAndADeletedOneStops() throws Exception {
        String name = unique("changed");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        String topic = BusNames.topic("default", name, "orders");
        String inputs = """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                """.formatted(name, sink);
        ResourceKey key = kit.apply(name, inputs + "    condition: \"event.data.amount > 100\"\n");
        kit.awaitReady(key);
        kit.publish(topic, List.of(order(name + "-big", 150)));
        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + name).size() == 1);

        kit.apply(name, inputs + "    condition: \"event.data.amount < 100\"\n", 2);
        await().atMost(PATIENCE).until(() -> kit.status(key).getObservedGeneration() == 2 && kit.status(key).isReady());
        kit.publish(topic, List.of(order(name + "-small", 50), order(name + "-big2", 150)));
        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + name).size() == 2);

        kit.delete(key);
        // generation 2 would not deliver this one, so only a stopped generation 2 lets the new Trigger see it
        kit.publish(topic, List.of(order(name + "-while-deleted", 150)));
        ResourceKey again = kit.apply(name, inputs);
        kit.awaitReady(again);

        // the group's committed offset makes the new Trigger start with the event published while it was gone
        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + name).size() == 3);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(Request::id)
                .containsExactly(name + "-big", name + "-small", name + "-while-deleted");
    }

    private static List<Duration> gaps(List<Request> requests) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            gaps.add(Duration.between(requests.get(i - 1).received(), requests.get(i).received()));
        }
        return gaps;
    }
}
