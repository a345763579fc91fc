package dev.sluice.delivery;

import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.bus.Bus;
import dev.sluice.tracing.EventTracing;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;

/** Opens sinks by their type's name and puts together deliveries: destination, retries, dead letter. */
@ApplicationScoped
public class Sinks {

    @Inject
    @Any
    Instance<SinkType> types;

    @Inject
    Vertx vertx;

    @Inject
    EventTracing tracing;

    /**
     * Opens one sink, without retries.
     *
     * @throws InvalidSpecException {@code SinkNotResolved} when no sink type has that name or the address is
     *         not usable
     */
    public Sink open(SinkTarget target, Optional<Bus> bus, DeliveryPolicy policy) {
        Instance<SinkType> type = types.select(Identifier.Literal.of(target.type()));
        if (!type.isResolvable()) {
            throw new InvalidSpecException("SinkNotResolved", target.field(), "unknown sink type '" + target.type()
                    + "'; known: " + types.stream().map(SinkType::name).sorted().collect(Collectors.joining(", ")));
        }
        return type.get().open(target, bus, policy);
    }

    /**
     * A delivery as the plan says: to its target, retried as its policy says, then to its dead letter; replies
     * to its reply destination. Dead letters and replies are retried likewise.
     *
     * @param owner the delivering resource, for logs
     * @throws InvalidSpecException {@code SinkNotResolved} naming the field of the target at fault
     */
    public Delivery delivery(DeliveryPlan plan, Optional<Bus> bus, String owner, RetryListener listener) {
        DeliveryPolicy policy = plan.policy();
        Sink sink = retrying(open(plan.target(), bus, policy), policy, listener);
        Optional<Sink> letters = plan.deadLetter().map(d -> retrying(open(d, bus, policy), policy, listener));
        Optional<Sink> replies = plan.replies().map(r -> retrying(open(r, bus, policy), policy, listener));
        return new Delivery(sink, letters, replies, owner, tracing);
    }

    /** Wraps a sink so that it retries as the policy says, on this service's Vert.x timers. */
    public Sink retrying(Sink sink, DeliveryPolicy policy, RetryListener listener) {
        return new RetryingSink(sink, policy, vertx, listener, tracing);
    }
}
