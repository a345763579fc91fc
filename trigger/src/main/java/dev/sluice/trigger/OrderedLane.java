package dev.sluice.trigger;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.sluice.trigger.delivery.DeliveryResult;

/**
 * {@code ordering: ordered}: an event of a partition starts only once the previous one of that partition reached
 * its outcome, retries and dead letter included, so the sink sees each partition in order.
 */
final class OrderedLane implements DeliveryLane {
    private final Map<String, CompletableFuture<DeliveryResult>> tails = new HashMap<>();

    @Override
    public synchronized CompletionStage<DeliveryResult> submit(String stream,
            Supplier<CompletionStage<DeliveryResult>> delivery) {
        CompletableFuture<DeliveryResult> previous = tails.getOrDefault(stream, CompletableFuture.completedFuture(null));
        CompletableFuture<DeliveryResult> next = previous.handle((result, error) -> null)
                .thenCompose(ignored -> delivery.get());
        tails.put(stream, next);
        next.whenComplete((result, error) -> forget(stream, next));
        return next;
    }

    /** Drops a partition's tail once it is done, so that idle partitions hold nothing. */
    private synchronized void forget(String stream, CompletableFuture<DeliveryResult> done) {
        tails.remove(stream, done);
    }
}
