package dev.sluice.trigger;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.sluice.trigger.delivery.DeliveryResult;

/** {@code ordering: unordered}: up to {@code maxInFlight} deliveries at once, the rest wait their turn. */
final class BoundedLane implements DeliveryLane {
    private final int maxInFlight;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean draining;

    BoundedLane(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    @Override
    public CompletionStage<DeliveryResult> submit(String stream, Supplier<CompletionStage<DeliveryResult>> delivery) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        Runnable start = () -> started(delivery).whenComplete((outcome, error) -> {
            synchronized (this) {
                inFlight--;
            }
            if (error == null) {
                result.complete(outcome);
            } else {
                result.completeExceptionally(error);
            }
            drain();
        });
        synchronized (this) {
            waiting.add(start);
        }
        drain();
        return result;
    }

    /** For tests: how many deliveries run now. */
    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Starts waiting deliveries while there is room. A loop rather than recursion, since a delivery that
     * completes at once would otherwise start the next one deeper in the same stack.
     */
    private void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                if (inFlight >= maxInFlight || waiting.isEmpty()) {
                    draining = false;
                    return;
                }
                inFlight++;
                next = waiting.poll();
            }
            next.run();
        }
    }

    private static CompletionStage<DeliveryResult> started(Supplier<CompletionStage<DeliveryResult>> delivery) {
        try {
            return delivery.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
