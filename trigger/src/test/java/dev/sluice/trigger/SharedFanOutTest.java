package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.trigger.FakeFunction.Answer;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Triggers on one input share one reader of it in the service: each still gets every event, keeps its position in
 * its own group, committed only after its outcomes, and one whose sink is down holds up none of the others.
 */
@QuarkusTest
class SharedFanOutTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final int TRIGGERS = 10;
    /** More than a subscriber may hold in flight (200): the stuck one must leave the shared reader to its own. */
    private static final int EVENTS = 500;

    @Inject
    TriggerTestKit kit;

    @Inject
    LocalKafkaBroker broker;

    @Inject
    MeterRegistry registry;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void tenTriggersOnOneInputShareOneReaderAndOneStuckOnItsSinkHoldsUpNoneAndLosesNothing() throws Exception {
        String source = unique("fan");
        String topic = BusNames.topic("default", source, "orders");
        AtomicBoolean sinkDown = new AtomicBoolean(true);
        Set<String> deliveredAfterOutage = ConcurrentHashMap.newKeySet();
        URI stuck = FUNCTIONS.serve("/" + source + "-stuck", request -> {
            if (sinkDown.get()) {
                return Answer.of(503);
            }
            deliveredAfterOutage.add(request.id());
            return Answer.of(200);
        });
        // the outage is scaled down from minutes to seconds; a retry budget that outlasts it loses nothing
        String spec = """
                  inputs:
                    order: {eventSource: %s, event: orders}
                  delivery: {retry: 10000, backoffDelay: 100ms, backoffPolicy: linear, retryAfterMax: 1s}
                  subscribers:
                  - sink: {uri: "%s"}
                """;
        ResourceKey stuckTrigger = kit.apply(source + "-stuck", spec.formatted(source, stuck));
        List<ResourceKey> healthy = new ArrayList<>();
        for (int i = 1; i < TRIGGERS; i++) {
            URI sink = FUNCTIONS.serve("/" + source + "-" + i, request -> Answer.of(200));
            healthy.add(kit.apply(source + "-" + i, spec.formatted(source, sink)));
        }
        kit.awaitReady(stuckTrigger);
        healthy.forEach(kit::awaitReady);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers().orElseThrow()))) {
            List<CloudEvent> orders = IntStream.range(0, EVENTS).mapToObj(i -> order(source + "-" + i, i)).toList();
            List<String> ids = orders.stream().map(CloudEvent::getId).toList();
            kit.publishAll(topic, orders);

            for (int i = 1; i < TRIGGERS; i++) {
                String path = "/" + source + "-" + i;
                await().atMost(PATIENCE).until(() -> FUNCTIONS.requests(path).size() >= EVENTS);
                assertThat(FUNCTIONS.requests(path)).extracting(FakeFunction.Request::id)
                        .as("every event, once, to %s while another Trigger is stuck", path)
                        .containsExactlyInAnyOrderElementsOf(ids);
            }
            assertThat(FUNCTIONS.requests("/" + source + "-stuck")).as("the stuck Trigger kept trying").isNotEmpty();
            await().atMost(PATIENCE).until(() -> onTheirOwn() == 1);

            // one member reads the input for all; the Triggers' groups only hold positions
            ConsumerGroupDescription fanOut = admin.describeConsumerGroups(List.of(BusNames.fanOutGroup(List.of(topic))))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(fanOut.members()).hasSize(1);
            String healthyGroup = TriggerReconciler.groupOf(healthy.get(0), 0);
            String stuckGroup = TriggerReconciler.groupOf(stuckTrigger, 0);
            await().atMost(PATIENCE).until(() -> committed(admin, healthyGroup) == EVENTS);
            assertThat(committed(admin, stuckGroup)).as("nothing committed before its outcome").isZero();

            // a restart (a new generation) while its sink is still down starts again from what it committed
            kit.apply(source + "-stuck", spec.formatted(source, stuck), 2);
            await().atMost(PATIENCE).until(() -> kit.status(stuckTrigger).isReady()
                    && kit.status(stuckTrigger).getObservedGeneration() == 2);
            assertThat(committed(admin, stuckGroup)).as("nothing committed before its outcome").isZero();

            sinkDown.set(false);
            await().atMost(PATIENCE).until(() -> deliveredAfterOutage.size() >= EVENTS);
            assertThat(deliveredAfterOutage).containsExactlyInAnyOrderElementsOf(ids);
            await().atMost(PATIENCE).until(() -> committed(admin, stuckGroup) == EVENTS);
            await().atMost(PATIENCE).until(() -> onTheirOwn() == 0);
            assertThat(kit.count("sluice.trigger.delivered", source + "-stuck", "dead-lettered")
                    + kit.count("sluice.trigger.delivered", source + "-stuck", "dropped")).isZero();
        } finally {
            kit.delete(stuckTrigger);
            healthy.forEach(kit::delete);
        }
    }

    private double onTheirOwn() {
        return registry.get("sluice.trigger.subscribers.on.own").gauge().value();
    }

    /** The group's committed offsets summed over the partitions: the events it is done with, from an empty topic. */
    private static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).values()
                .stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
}
