package dev.sluice.source.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.eventsource.CronEventSpec;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.Buses;
import dev.sluice.bus.kafka.KafkaBus;
import dev.sluice.bus.kafka.KafkaConnection;
import dev.sluice.config.SluiceConfig;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.source.BusPublisher;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.PublishRetries;
import dev.sluice.source.SourcesConfig;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.EventKey;
import dev.sluice.source.FakePublisher;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.TestEventSources;
import dev.sluice.source.TestEventSources.BusRecorder;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

@QuarkusTest
class CronEventSourceTest {

    @Inject
    Buses buses;

    @Inject
    ResourceCatalog catalog;

    @Inject
    ReceivedCounter received;

    @Inject
    @Identifier("cron")
    CronEventSource source;

    @Inject
    LocalKafkaBroker broker;

    @Inject
    SourcesConfig sourcesConfig;

    @Inject
    SluiceConfig sluiceConfig;

    @Inject
    PublishRetries retries;

    @Inject
    ObjectMapper mapper;

    @Test
    void eachTickIsOneEventOnTheBusWhoseIdIsItsScheduledTime() {
        TestEventSources.upsert(catalog, 1, "cron-ticks", """
                cron:
                  tick: {schedule: "@every 1s"}
                """);
        TestEventSources.awaitReady(catalog, "default", "cron-ticks");
        try (BusRecorder bus = new BusRecorder(buses, "cron-ticks-test", dev.sluice.bus.BusNames.topic("default", "cron-ticks", "tick"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bus.byId.size() >= 3);
            for (CloudEvent event : bus.byId.values()) {
                Instant tick = tickOf(event);
                assertThat(tick.toEpochMilli() % 1000).as("on the schedule").isZero();
                assertThat(event.getTime().toInstant()).isEqualTo(tick);
                assertThat(event.getType()).isEqualTo("dev.sluice.cron.tick");
                assertThat(event.getSource()).hasToString("/apis/v1alpha1/namespaces/default/eventsources/cron-ticks#tick");
            }
        } finally {
            catalog.delete(new dev.sluice.api.ResourceKey("EventSource", "default", "cron-ticks"));
        }
    }

    @Test
    void aRestartAfterAnHourFiresTheLatestMissedTickOnceAndCountsEveryOtherOneAsSkipped() {
        EventKey key = new EventKey("default", "cron-restart", "tick");
        CronEventSpec spec = new CronEventSpec();
        spec.setSchedule("@every 1s");
        FakePublisher publisher = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        try {
            source.start(key, spec, publisher);
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.attempts.size() >= 2);
            source.stop(key);
            List<Instant> before = publisher.attempts.stream().map(CronEventSourceTest::tickOf).toList();
            Instant lastBefore = before.get(before.size() - 1);
            double skippedBefore = received.received(key, "cron", ReceivedCounter.SKIPPED);

            // down for an hour: the restarted source's clock says so
            source.useClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
            int firstAfter = publisher.attempts.size();
            source.start(key, spec, publisher);
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.attempts.size() >= firstAfter + 3);
            source.stop(key);

            List<Instant> after = publisher.attempts.subList(firstAfter, publisher.attempts.size()).stream()
                    .map(CronEventSourceTest::tickOf).toList();
            long missed = Duration.between(lastBefore, after.get(0)).toSeconds();
            assertThat(missed).as("an hour of 1 s ticks").isBetween(3600L, 3610L);
            assertThat(received.received(key, "cron", ReceivedCounter.SKIPPED) - skippedBefore)
                    .as("every missed tick but the one fired once is counted, none silently lost").isEqualTo(missed - 1);
            assertThat(after).as("then one tick a second again, none invented").isSorted().doesNotHaveDuplicates()
                    .allSatisfy(t -> assertThat(t.toEpochMilli() % 1000).isZero());
            for (int i = 1; i < after.size(); i++) {
                assertThat(Duration.between(after.get(i - 1), after.get(i))).isEqualTo(Duration.ofSeconds(1));
            }
            assertThat(publisher.attempts).extracting(CloudEvent::getId).doesNotHaveDuplicates();
        } finally {
            source.stop(key);
            source.useClock(Clock.systemUTC());
        }
    }

    @Test
    void twoReplicasFireEachTickOnceBetweenThemAndTheSecondGoesOnWhenTheHolderStops() {
        EventKey key = new EventKey("default", "cron-lease", "tick");
        CronEventSpec spec = new CronEventSpec();
        spec.setSchedule("@every 1s");
        Buses.Resolved busA = buses.resolve("default", "default", "spec.eventBus");
        // the second replica: its own bus connection, whose consumers are another static member of each group
        KafkaBus kafkaB = new KafkaBus(new KafkaConnection(broker.bootstrapServers().orElseThrow(), false, null, null, null)
                .clientConfig("test"), Optional.empty(), Optional.empty(), group -> "replica-b-" + group, 1 << 20);
        Buses.Resolved busB = new Buses.Resolved(busA.identity(), kafkaB);
        CronEventSource replicaB = new CronEventSource();
        replicaB.config = sourcesConfig;
        replicaB.sluice = sluiceConfig;
        replicaB.received = received;
        replicaB.retries = retries;
        replicaB.mapper = mapper;
        replicaB.init();
        Map<String, String> sentBy = new ConcurrentHashMap<>();
        busA.bus().ensureTopics(List.of(key.topic())).toCompletableFuture().join();
        try (BusRecorder bus = new BusRecorder(buses, "cron-lease-test", BusNames.topic("default", "cron-lease", "tick"))) {
            double skippedBefore = received.received(key, "cron", ReceivedCounter.SKIPPED);
            source.start(key, spec, new Recording(new BusPublisher(busA, key.topic()), "a", sentBy));
            replicaB.start(key, spec, new Recording(new BusPublisher(busB, key.topic()), "b", sentBy));
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.size() >= 3);
            String holder = sentBy.get(bus.byId.keySet().stream().max(String::compareTo).orElseThrow());
            int before = bus.byId.size();
            (holder.equals("a") ? source : replicaB).stop(key);
            String other = holder.equals("a") ? "b" : "a";
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.size() >= before + 3
                    && sentBy.values().stream().filter(other::equals).count() >= 3);

            source.stop(key);
            replicaB.stop(key);
            List<Instant> ticks = bus.byId.keySet().stream().map(CronEventSourceTest::tickOfId).sorted().toList();
            assertThat(bus.deliveries).as("each tick fired once between the two replicas")
                    .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
            assertThat(ticks).as("only scheduled times, none invented")
                    .allSatisfy(t -> assertThat(t.toEpochMilli() % 1000).isZero());
            long scheduled = Duration.between(ticks.get(0), ticks.get(ticks.size() - 1)).toSeconds() + 1;
            assertThat(scheduled - ticks.size()).as("ticks not fired on the handover are the ones counted as skipped")
                    .isEqualTo((long) (received.received(key, "cron", ReceivedCounter.SKIPPED) - skippedBefore));
        } finally {
            source.stop(key);
            replicaB.stop(key);
            replicaB.shutdown();
            kafkaB.close();
        }
    }

    /** Sends to the bus and notes which replica sent each tick. */
    private record Recording(BusPublisher to, String replica, Map<String, String> sentBy) implements EventPublisher {

        @Override
        public CompletionStage<Void> publish(CloudEvent event) {
            sentBy.put(event.getId(), replica);
            return to.publish(event);
        }

        @Override
        public String identity() {
            return to.identity();
        }

        @Override
        public Optional<Buses.Resolved> targetBus() {
            return to.targetBus();
        }
    }

    private static Instant tickOf(CloudEvent event) {
        return tickOfId(event.getId());
    }

    private static Instant tickOfId(String id) {
        return Instant.parse(id.substring(id.indexOf('@') + 1));
    }
}
