package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.sluice.sink.SinkResponse;
import dev.sluice.trigger.delivery.DeliveryOutcome;
import dev.sluice.trigger.delivery.DeliveryResult;

class DeliveryLaneTest {
    private final List<String> started = new ArrayList<>();
    private final List<CompletableFuture<DeliveryResult>> pending = new ArrayList<>();

    @Test
    void orderedStartsTheNextEventOfAPartitionOnlyWhenThePreviousIsDone() {
        OrderedLane lane = new OrderedLane();

        CompletionStage<DeliveryResult> a1 = lane.submit("t/0", delivery("a1"));
        lane.submit("t/0", delivery("a2"));
        lane.submit("t/1", delivery("b1"));
        lane.submit("t/0", delivery("a3"));

        assertThat(started).containsExactly("a1", "b1");
        pending.get(0).complete(delivered());
        assertThat(a1.toCompletableFuture()).isCompleted();
        assertThat(started).containsExactly("a1", "b1", "a2");
        pending.get(2).complete(delivered());
        assertThat(started).containsExactly("a1", "b1", "a2", "a3");
    }

    @Test
    void orderedGoesOnAfterAFailedDelivery() {
        OrderedLane lane = new OrderedLane();
        lane.submit("t/0", delivery("a1"));
        lane.submit("t/0", delivery("a2"));

        pending.get(0).completeExceptionally(new IllegalStateException("boom"));

        assertThat(started).containsExactly("a1", "a2");
    }

    @Test
    void unorderedRunsUpToMaxInFlightAndStartsTheNextAsOneEnds() {
        BoundedLane lane = new BoundedLane(2);

        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (String id : List.of("e1", "e2", "e3", "e4")) {
            results.add(lane.submit("t/0", delivery(id)));
        }

        assertThat(started).containsExactly("e1", "e2");
        assertThat(lane.inFlight()).isEqualTo(2);
        pending.get(1).complete(delivered());
        assertThat(started).containsExactly("e1", "e2", "e3");
        assertThat(results.get(1).toCompletableFuture()).isCompleted();
        pending.get(0).complete(delivered());
        pending.get(2).complete(delivered());
        pending.get(3).complete(delivered());
        assertThat(started).containsExactly("e1", "e2", "e3", "e4");
        assertThat(lane.inFlight()).isZero();
        assertThat(results).allSatisfy(r -> assertThat(r.toCompletableFuture()).isCompleted());
    }

    @Test
    void unorderedSurvivesManyDeliveriesThatCompleteAtOnce() {
        BoundedLane lane = new BoundedLane(1);
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            results.add(lane.submit("t/0", () -> CompletableFuture.completedFuture(delivered())));
        }
        assertThat(results).allSatisfy(r -> assertThat(r.toCompletableFuture()).isCompleted());
        assertThat(lane.inFlight()).isZero();
    }

    private Supplier<CompletionStage<DeliveryResult>> delivery(String id) {
        return () -> {
            started.add(id);
            CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
            pending.add(result);
            return result;
        };
    }

    private static DeliveryResult delivered() {
        return new DeliveryResult(DeliveryOutcome.DELIVERED, SinkResponse.accepted());
    }
}
