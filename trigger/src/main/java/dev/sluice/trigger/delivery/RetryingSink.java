package dev.sluice.trigger.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkResponse;
import dev.sluice.tracing.EventTracing;
import io.cloudevents.CloudEvent;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;

/**
 * Sends through another sink and tries again, as the {@link DeliveryPolicy} says, while the answer is
 * retryable. The waits are Vert.x timers, so a backoff holds no thread. Completes with the last answer.
 */
public class RetryingSink implements Sink {
    private static final Logger LOG = Logger.getLogger(RetryingSink.class);

    private final Sink target;
    private final DeliveryPolicy policy;
    private final Vertx vertx;
    private final RetryListener listener;
    private final EventTracing tracing;

    public RetryingSink(Sink target, DeliveryPolicy policy, Vertx vertx, RetryListener listener) {
        this(target, policy, vertx, listener, EventTracing.off());
    }

    /** @param tracing so that a retry, fired by a timer, stays in the trace of the first attempt */
    public RetryingSink(Sink target, DeliveryPolicy policy, Vertx vertx, RetryListener listener,
            EventTracing tracing) {
        this.target = target;
        this.policy = policy;
        this.vertx = vertx;
        this.listener = listener;
        this.tracing = tracing;
    }

    @Override
    public CompletionStage<SinkResponse> send(CloudEvent event) {
        CompletableFuture<SinkResponse> last = new CompletableFuture<>();
        attempt(event, 0, last, tracing.current());
        return last;
    }

    @Override
    public String destination() {
        return target.destination();
    }

    private void attempt(CloudEvent event, int retriesDone, CompletableFuture<SinkResponse> last, Context trace) {
        CompletionStage<SinkResponse> sent;
        try (Scope ignored = EventTracing.enter(trace)) {
            sent = target.send(event);
        } catch (RuntimeException e) {
            sent = CompletableFuture.completedFuture(SinkResponse.unreachable(e));
        }
        sent.whenComplete((response, error) -> {
            SinkResponse answer = error == null ? response : SinkResponse.unreachable(error);
            if (answer.isDelivered() || !answer.isRetryable() || retriesDone >= policy.retry()) {
                last.complete(answer);
                return;
            }
            int retryNumber = retriesDone + 1;
            Duration delay = policy.delayBefore(retryNumber, answer);
            LOG.debugf("Event %s to %s: %s; retry %d of %d in %d ms", event.getId(), target.destination(),
                    answer.describe(), retryNumber, policy.retry(), delay.toMillis());
            listener.retrying(event, answer, retryNumber, delay);
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt(event, retryNumber, last, trace));
        });
    }

    @Override
    public List<String> busTopics() {
        return target.busTopics();
    }
}
