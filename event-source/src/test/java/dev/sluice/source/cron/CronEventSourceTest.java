package dev.sluice.source.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.eventsource.CronEventSpec;
import dev.sluice.bus.Buses;
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

    private static Instant tickOf(CloudEvent event) {
        String id = event.getId();
        return Instant.parse(id.substring(id.indexOf('@') + 1));
    }
}
