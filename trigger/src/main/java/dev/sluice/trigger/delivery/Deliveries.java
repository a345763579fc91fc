package dev.sluice.trigger.delivery;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkOwner;
import dev.sluice.sink.Sinks;
import dev.sluice.tracing.EventTracing;
import io.vertx.core.Vertx;

/** Puts together a subscriber's deliveries: destination, retries, dead letter and replies. */
@ApplicationScoped
public class Deliveries {

    @Inject
    Sinks sinks;

    @Inject
    Vertx vertx;

    @Inject
    EventTracing tracing;

    @Inject
    TriggerConfig config;

    /**
     * A delivery as the plan says: to its target, retried as its policy says, then to its dead letter; replies
     * to its reply destination. Dead letters and replies are retried likewise.
     *
     * @param owner the delivering resource: a topic destination publishes on its bus
     * @param name the delivering subscriber, for logs
     * @throws dev.sluice.api.InvalidSpecException {@code SinkNotResolved} naming the field of the target at fault
     */
    public Delivery delivery(DeliveryPlan plan, SinkOwner owner, String name, RetryListener listener) {
        DeliveryPolicy policy = plan.policy();
        Sink sink = retrying(sinks.open(plan.target(), owner, policy.timeout()), policy, listener);
        Optional<Sink> letters = plan.deadLetter().map(d -> retrying(sinks.open(d, owner, policy.timeout()), policy, listener));
        Optional<Sink> replies = plan.replies().map(r -> retrying(sinks.open(r, owner, policy.timeout()), policy, listener));
        return new Delivery(sink, letters, replies, name, tracing, config.maxHops());
    }

    /** Wraps a sink so that it retries as the policy says, on this service's Vert.x timers. */
    public Sink retrying(Sink sink, DeliveryPolicy policy, RetryListener listener) {
        return new RetryingSink(sink, policy, vertx, listener, tracing);
    }
}
