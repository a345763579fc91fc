package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.trigger.FakeFunction.Answer;
import dev.sluice.trigger.delivery.Delivery;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.junit.QuarkusTest;

/** Triggers on the embedded Kafka broker, delivering to real HTTP functions and to topics. */
@QuarkusTest
class TriggerDeliveryTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void aSinkRefWithoutAKubernetesApiIsNotResolved() {
        String name = unique("local-ref");
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: order
                    sink:
                      ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: %1$s}
                """.formatted(name));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kit.status(key).getConditions())
                .filteredOn(c -> Condition.READY.equals(c.getType())).singleElement().satisfies(ready -> {
                    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
                    assertThat(ready.getReason()).isEqualTo("SinkNotResolved");
                    assertThat(ready.getMessage()).contains("spec.subscribers[0].sink.ref");
                }));
        kit.delete(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sink, http://169.254.169.254/latest/meta-data/, sink.uri",
            "deadLetterSink, 'http://[fe80::1]:8080/', deadLetterSink.uri" })
    void aSinkInADeniedRangeIsNotAllowedNamingTheField(String field, String uri, String path) {
        String name = unique("metadata");
        String sinks = field.equals("sink") ? "sink: {uri: \"" + uri + "\"}"
                : "sink: {uri: \"http://127.0.0.1:1/\"}\n    deadLetterSink: {uri: \"" + uri + "\"}";
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: order
                    %2$s
                """.formatted(name, sinks));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kit.status(key).getConditions())
                .filteredOn(c -> Condition.READY.equals(c.getType())).singleElement().satisfies(ready -> {
                    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
                    assertThat(ready.getReason()).isEqualTo(Reasons.SINK_NOT_ALLOWED);
                    assertThat(ready.getMessage()).contains("spec.subscribers[0]." + path).contains("sluice.egress.deny");
                }));
        kit.delete(key);
    }

    @Test
    void deliversExactlyTheMatchingEventsToTheSinkAndEveryEventToTheTopic() throws Exception {
        String name = unique("big-orders");
        URI sink = FUNCTIONS.serve("/" + name, request -> Answer.of(200));
        String allOrders = name + "-all";
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "%2$s"}
                  - condition: order
                    topic: %3$s
                """.formatted(name, sink, allOrders));
        kit.awaitReady(key);
        TriggerTestKit.TopicWatcher all = kit.watch(allOrders);

        List<CloudEvent> orders = IntStream.range(0, 20).mapToObj(i -> order(name + "-" + i, i % 2 == 0 ? 50 : 150))
                .toList();
        kit.publish(BusNames.topic("default", name, "orders"), orders);

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.evaluated", name, "matched")
                + kit.count("sluice.trigger.evaluated", name, "unmatched") == 40);
        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 30);
        Set<String> big = orders.stream().filter(o -> new String(o.getData().toBytes()).contains("150"))
                .map(CloudEvent::getId).collect(Collectors.toSet());
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .hasSize(10).containsExactlyInAnyOrderElementsOf(big);
        assertThat(FUNCTIONS.requests("/" + name).get(0).body()).startsWith("{\"amount\":");
        assertThat(FUNCTIONS.requests("/" + name).get(0).type()).isEqualTo("shop.order.created");
        await().atMost(PATIENCE).until(() -> all.events.size() == 20);
        assertThat(all.events).extracting(CloudEvent::getId)
                .containsExactlyInAnyOrderElementsOf(orders.stream().map(CloudEvent::getId).toList());
        assertThat(kit.count("sluice.trigger.evaluated", name, "error")).isZero();
        all.close();
    }

    /**
     * Conditions read no more of an event than they name: JSON data that does not parse passes a condition on its
     * input alone, as it is, and is an error (counted, not delivered) to a condition on a field of its data.
     */
    @Test
    void dataThatIsNoJsonPassesAConditionOnItsInputAndFailsOneOnItsData() throws Exception {
        String name = unique("broken-data");
        URI all = FUNCTIONS.serve("/" + name + "-all", request -> Answer.of(200));
        URI big = FUNCTIONS.serve("/" + name + "-big", request -> Answer.of(200));
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: order
                    sink: {uri: "%2$s"}
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "%3$s"}
                """.formatted(name, all, big));
        kit.awaitReady(key);
        String broken = "{\"amount\": 150, \"pad\": ";
        List<CloudEvent> orders = List.of(order(name + "-ok", 150),
                CloudEventBuilder.v1(order(name + "-broken-1", 0)).withData(broken.getBytes(StandardCharsets.UTF_8))
                        .build(),
                CloudEventBuilder.v1(order(name + "-broken-2", 0)).withData(broken.getBytes(StandardCharsets.UTF_8))
                        .build());
        kit.publish(BusNames.topic("default", name, "orders"), orders);

        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + name + "-all").size() == 3
                && kit.count("sluice.trigger.evaluated", name, "error") == 2);
        assertThat(FUNCTIONS.requests("/" + name + "-all")).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(name + "-ok", name + "-broken-1", name + "-broken-2");
        assertThat(FUNCTIONS.requests("/" + name + "-all")).filteredOn(r -> r.id().startsWith(name + "-broken"))
                .extracting(FakeFunction.Request::body).containsOnly(broken);
        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.evaluated", name, "matched") == 4);
        assertThat(FUNCTIONS.requests("/" + name + "-big")).extracting(FakeFunction.Request::id)
                .containsExactly(name + "-ok");
        kit.delete(key);
    }

    @Test
    void anEventReachesASinkThatFailsAFewTimesFirst() throws Exception {
        String name = unique("flaky");
        URI sink = FUNCTIONS.serve("/" + name, (request, before) -> Answer.of(before < 3 ? 503 : 202));
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  delivery: {backoffDelay: 20ms, backoffPolicy: linear}
                  subscribers:
                  - sink: {uri: "%2$s"}
                """.formatted(name, sink));
        kit.awaitReady(key);

        kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-1", 10)));

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "delivered") == 1);
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .containsExactly(name + "-1", name + "-1", name + "-1", name + "-1");
        assertThat(kit.count("sluice.trigger.retried", name, null)).isEqualTo(3);
        assertThat(kit.count("sluice.trigger.delivered", name, "dead-lettered")
                + kit.count("sluice.trigger.delivered", name, "dropped")).isZero();
    }

    @Test
    void anEventTheSinkRefusesIsDeadLetteredToATopicWithWhy() throws Exception {
        String name = unique("refused");
        URI sink = FUNCTIONS.serve("/" + name,
                request -> new Answer(request.body().contains("poison") ? 400 : 200, "amount must be a number", Map.of()));
        String deadTopic = name + "-dead";
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - sink: {uri: "%2$s"}
                    deadLetterTopic: %3$s
                """.formatted(name, sink, deadTopic));
        kit.awaitReady(key);
        TriggerTestKit.TopicWatcher dead = kit.watch(deadTopic);

        CloudEvent poison = CloudEventBuilder.v1(order(name + "-poison", 0)).withSubject("o-1")
                .withData("{\"amount\": \"poison\"}".getBytes(StandardCharsets.UTF_8)).build();
        kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-good", 5), poison));

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", name, "dead-lettered") == 1
                && kit.count("sluice.trigger.delivered", name, "delivered") == 1);
        await().atMost(PATIENCE).until(() -> dead.events.size() == 1);
        CloudEvent letter = dead.events.get(0);
        assertThat(letter.getId()).isEqualTo(name + "-poison");
        assertThat(letter.getSubject()).isEqualTo("o-1");
        assertThat(letter.getType()).isEqualTo("shop.order.created");
        assertThat(new String(letter.getData().toBytes(), StandardCharsets.UTF_8)).contains("poison");
        assertThat(letter.getExtension(CloudEvents.ERROR_CODE)).hasToString("400");
        assertThat(letter.getExtension(CloudEvents.ERROR_DEST)).isEqualTo(sink.toString());
        assertThat(letter.getExtension(CloudEvents.ERROR_DATA)).isEqualTo("amount must be a number");
        // a 400 is final: no retry
        assertThat(FUNCTIONS.requests("/" + name)).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(name + "-good", name + "-poison");
        dead.close();
    }

    @Test
    void anEventFedBackIntoItsOwnInputStopsAfterTheHopLimitAndIsDeadLetteredWithWhy() throws Exception {
        String name = unique("loop");
        URI letters = FUNCTIONS.serve("/" + name + "-dead", request -> Answer.of(200));
        String input = BusNames.topic("default", name, "orders");
        ResourceKey key = kit.apply(name, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - topic: %2$s
                    deadLetterSink: {uri: "%3$s"}
                """.formatted(name, input, letters));
        kit.awaitReady(key);
        TriggerTestKit.TopicWatcher loop = kit.watch(input);

        kit.publish(input, List.of(order(name + "-1", 5)));

        await().atMost(PATIENCE).until(() -> FUNCTIONS.requests("/" + name + "-dead").size() == 1);
        int maxHops = Delivery.DEFAULT_MAX_HOPS;
        // the published event and one more on the input per delivery, each the same id, counted one by one
        await().atMost(PATIENCE).until(() -> loop.events.size() == 1 + maxHops);
        assertThat(loop.events).extracting(CloudEvent::getId).containsOnly(name + "-1");
        assertThat(loop.events.stream().map(e -> String.valueOf(e.getExtension(CloudEvents.HOPS))).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(0, maxHops)
                        .mapToObj(hops -> hops == 0 ? "null" : String.valueOf(hops)).toList());
        FakeFunction.Request letter = FUNCTIONS.requests("/" + name + "-dead").get(0);
        assertThat(letter.id()).isEqualTo(name + "-1");
        assertThat(letter.headers().get("Ce-sluiceerrorcode")).containsExactly("508");
        assertThat(letter.headers().get("Ce-sluicehops")).containsExactly(String.valueOf(maxHops));
        assertThat(letter.headers().get("Ce-sluiceerrordata")).singleElement().asString().contains("hop limit of 32")
                .contains("sluice.trigger.max-hops");
        assertThat(kit.count("sluice.trigger.delivered", name, "delivered")).isEqualTo(maxHops);
        assertThat(kit.count("sluice.trigger.delivered", name, "dead-lettered")).isEqualTo(1);
        loop.close();
        kit.delete(key);
    }

    @Test
    void aTriggerWhoseConditionDoesNotCompileIsNotReadyAndTheOthersGoOn() throws Exception {
        String bad = unique("bad-cel");
        String good = unique("good-cel");
        URI sink = FUNCTIONS.serve("/" + good, request -> Answer.of(200));
        ResourceKey badKey = kit.apply(bad, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order && event.data.amount >"
                    sink: {uri: "%2$s"}
                """.formatted(good, sink));
        ResourceKey goodKey = kit.apply(good, """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: "order"
                    sink: {uri: "%2$s"}
                """.formatted(good, sink));
        kit.awaitReady(goodKey);

        Condition ready = kit.status(badKey).condition(Condition.READY).orElseThrow();
        assertThat(ready.isTrue()).isFalse();
        assertThat(ready.getReason()).isEqualTo("ConditionInvalid");
        assertThat(ready.getMessage()).startsWith("spec.subscribers[0].condition: does not compile");
        assertThat(kit.status(badKey).condition(ConditionTypes.CONDITION_COMPILED))
                .hasValueSatisfying(c -> assertThat(c.isTrue()).isFalse());

        kit.publish(BusNames.topic("default", good, "orders"), List.of(order(good + "-1", 1), order(good + "-2", 2)));

        await().atMost(PATIENCE).until(() -> kit.count("sluice.trigger.delivered", good, "delivered") == 2);
        assertThat(FUNCTIONS.requests("/" + good)).extracting(FakeFunction.Request::id)
                .containsExactlyInAnyOrder(good + "-1", good + "-2");
        assertThat(kit.count("sluice.trigger.evaluated", bad, "matched")).isZero();
    }
}
