package dev.sluice.delivery;

import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.bus.Bus;
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
     * A delivery to {@code target} that retries as {@code policy} says and then sends to {@code deadLetter},
     * which is retried likewise.
     *
     * @param owner the delivering resource, for logs
     * @throws InvalidSpecException {@code SinkNotResolved} naming the field of the target at fault
     */
    public Delivery delivery(SinkTarget target, Optional<SinkTarget> deadLetter, Optional<Bus> bus,
            DeliveryPolicy policy, String owner, RetryListener listener) {
        Sink sink = retrying(open(target, bus, policy), policy, listener);
        Optional<Sink> letters = deadLetter.map(d -> retrying(open(d, bus, policy), policy, listener));
        return new Delivery(sink, letters, owner);
    }

    /** Wraps a sink so that it retries as the policy says, on this service's Vert.x timers. */
    public Sink retrying(Sink sink, DeliveryPolicy policy, RetryListener listener) {
        return new RetryingSink(sink, policy, vertx, listener);
    }
}
