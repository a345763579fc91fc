package dev.sluice.sink;

import java.time.Duration;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import io.smallrye.common.annotation.Identifier;

/** Opens sinks by their type's name: every {@link SinkType} bean is found by its {@code @Identifier}. */
@ApplicationScoped
public class Sinks {
    /** How long one send may take when the delivering resource does not say: Knative's default, 30 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Any
    Instance<SinkType> types;

    /**
     * Opens one sink, without retries.
     *
     * @throws InvalidSpecException {@code SinkNotResolved} when no sink type has that name or the address is
     *         not usable
     */
    public Sink open(SinkTarget target, SinkOwner owner, Duration timeout) {
        Instance<SinkType> type = types.select(Identifier.Literal.of(target.type()));
        if (!type.isResolvable()) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, target.field(), "unknown sink type '"
                    + target.type() + "'; known: "
                    + types.stream().map(SinkType::name).sorted().collect(Collectors.joining(", ")));
        }
        return type.get().open(target, owner, timeout);
    }
}
