package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "A crash or restart of any service loses no acknowledged event": the local-mode app is killed with
 * SIGKILL while events are being posted, then restarted on the same data folder. Every event it had
 * answered 202, before or after the crash, that matches the condition must reach the sink, and events posted
 * after the restart flow at once: the Trigger's consumer is a static member of its group and takes its partitions
 * back without waiting for the dead member's session to time out.
 */
class CrashRecoveryIT {

    private static final int CONCURRENCY = 16;
    private static final int ACCEPTED_BEFORE_CRASH = 2_000;
    private static final int ACCEPTED_AFTER_RESTART = 500;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    /**
     * How soon after the restarted app is ready an event posted then reaches the sink. The goal is 5 s; the bound
     * leaves room for a busy machine and still fails if the Trigger's consumer group waits out the dead member's
     * 45 s session, as it did before static membership.
     */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    @Test
    void noAcceptedEventIsLostWhenTheProcessIsKilled() throws Exception {
        try (RecordingSink sink = RecordingSink.start()) {
            sluice.start(ShopResources.write(sluice.resourcesDir(), "big-orders",
                    ShopResources.BIG_ORDERS_CONDITION, sink.uri()));
            Poster poster = new Poster(sluice.client(),
                    sluice.ingress(ShopResources.NAMESPACE, ShopResources.EVENT_SOURCE, ShopResources.EVENT),
                    CONCURRENCY);

            long acceptedAtCrash;
            long failedAroundKill;
            Duration recovery;
            ContinuousPosting posting = ContinuousPosting.start(poster, "crash");
            try {
                await(ACCEPTED_BEFORE_CRASH + " events accepted before the crash")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .failFast("sluice exited", () -> !sluice.isAlive())
                        .until(() -> poster.acceptedCount() >= ACCEPTED_BEFORE_CRASH);

                sluice.kill();
                posting.pause();
                acceptedAtCrash = poster.acceptedCount();

                Set<String> postedBeforeRestart = Set.copyOf(poster.attempted().keySet());
                sluice.restart();
                long ready = System.nanoTime();
                failedAroundKill = poster.failures();
                posting.resume();
                await("an event posted after the restart reaches the sink")
                        .atMost(DELIVERY_TIMEOUT)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> sink.ids().stream().anyMatch(id -> !postedBeforeRestart.contains(id)));
                recovery = Duration.ofNanos(System.nanoTime() - ready);
                await(ACCEPTED_AFTER_RESTART + " more events accepted after the restart")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .failFast("sluice exited", () -> !sluice.isAlive())
                        .until(() -> poster.acceptedCount() >= acceptedAtCrash + ACCEPTED_AFTER_RESTART);
            } finally {
                posting.stop();
            }

            Set<String> acceptedMatching = Poster.bigOrderIds(poster.accepted());
            Set<String> attemptedMatching = Poster.bigOrderIds(poster.attempted());
            try {
                await("every accepted matching event reaches the sink")
                        .atMost(DELIVERY_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .failFast("sluice exited", () -> !sluice.isAlive())
                        .untilAsserted(() -> {
                            Set<String> missing = sink.missing(acceptedMatching);
                            assertThat(missing.size()).as("accepted matching events not delivered yet, e.g. %s",
                                    missing.stream().limit(10).toList()).isZero();
                        });
                sink.awaitQuiet(Duration.ofSeconds(2));
            } finally {
                System.out.printf("CRASH: ready-to-delivered=%d ms attempted=%d accepted=%d accepted-before-kill=%d"
                                + " failed=%d accepted-matching=%d delivered-unique=%d lost=%d duplicates=%d outcomes=%s%n",
                        recovery.toMillis(), poster.attempted().size(), poster.acceptedCount(), acceptedAtCrash,
                        poster.failures(),
                        acceptedMatching.size(), sink.ids().size(), sink.missing(acceptedMatching).size(),
                        sink.duplicates(), poster.outcomes());
            }

            assertThat(recovery).as("from ready after the restart to the first new event at the sink")
                    .isLessThan(RECOVERY_BOUND);
            Set<String> lost = sink.missing(acceptedMatching);
            assertThat(lost.size()).as("accepted matching events lost, e.g. %s", lost.stream().limit(10).toList())
                    .isZero();
            Set<String> unexpected = sink.unexpected(attemptedMatching);
            assertThat(unexpected.size()).as("delivered ids that were never posted or do not match, e.g. %s",
                    unexpected.stream().limit(10).toList()).isZero();
            assertThat(failedAroundKill).as("posts that failed around the kill (proof it hit live traffic)")
                    .isPositive();
            assertThat(acceptedMatching.size()).as("accepted matching events (about half the accepted ones)")
                    .isGreaterThanOrEqualTo(ACCEPTED_BEFORE_CRASH / 2);
            assertThat(sink.requestsWithoutId()).as("sink requests without a ce-id header").isZero();
        }
    }
}
