package dev.sluice.bus;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.sluice.flow.RecentEvents;
import dev.sluice.tracing.EventTracing;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;

/**
 * Counts and traces what goes through a bus, whatever its binding: {@code sluice.bus.published} per topic and
 * outcome; with tracing on, a producer span per publish and a consumer span per event handed to a subscriber,
 * the latter continuing the trace that the event's {@code traceparent} names. Each acknowledged event also goes
 * into the topic's ring of {@link RecentEvents}.
 */
final class InstrumentedBus implements Bus {
    static final String PUBLISHED = "sluice.bus.published";

    private final Bus bus;
    private final MeterRegistry registry;
    private final EventTracing tracing;
    // topics are bounded by the resources' spec, so one pair of counters each stays bounded too
    private final Map<String, Counter[]> published = new ConcurrentHashMap<>();
    private final RecentEvents recent;
    private final Map<String, RecentEvents.Ring> recentlyPublished = new ConcurrentHashMap<>();

    InstrumentedBus(Bus bus, MeterRegistry registry, EventTracing tracing, RecentEvents recent) {
        this.bus = bus;
        this.registry = registry;
        this.tracing = tracing;
        this.recent = recent;
    }

    @Override
    public CompletionStage<Void> publish(String topic, CloudEvent event) {
        Counter[] counters = published.computeIfAbsent(topic, this::countersOf);
        RecentEvents.Ring ring = recentlyPublished.computeIfAbsent(topic, t -> recent.node(RecentEvents.topic(t)));
        Span span = Span.getInvalid();
        CompletionStage<Void> acked;
        if (tracing.enabled()) {
            span = tracing.start("publish " + topic, SpanKind.PRODUCER, null);
            span.setAttribute("messaging.destination.name", topic);
            span.setAttribute("messaging.message.id", event.getId());
            try (Scope ignored = span.makeCurrent()) {
                acked = bus.publish(topic, event);
            }
        } else {
            acked = bus.publish(topic, event);
        }
        return EventTracing.endWhenDone(span, acked).whenComplete((ok, error) -> {
            counters[error == null ? 0 : 1].increment();
            if (error == null) {
                ring.record(event, "published");
            }
        });
    }

    private Counter[] countersOf(String topic) {
        return new Counter[] {
                registry.counter(PUBLISHED, "topic", topic, "outcome", "acknowledged"),
                registry.counter(PUBLISHED, "topic", topic, "outcome", "failed") };
    }

    @Override
    public CompletionStage<Void> ensureTopics(Collection<String> topics) {
        return bus.ensureTopics(topics);
    }

    @Override
    public BusSubscription subscribe(String group, Collection<String> topics, BusEventHandler handler) {
        return bus.subscribe(group, topics, tracing.enabled() ? traced(group, handler) : handler);
    }

    @Override
    public BusSubscription subscribeShared(String group, Collection<String> topics, BusEventHandler handler) {
        return bus.subscribeShared(group, topics, tracing.enabled() ? traced(group, handler) : handler);
    }

    @Override
    public Optional<BusTable> table(String name) {
        return bus.table(name);
    }

    private BusEventHandler traced(String group, BusEventHandler handler) {
        return new BusEventHandler() {
            @Override
            public CompletionStage<Void> handle(BusEvent busEvent) {
                return tracedHandle(group, handler, busEvent);
            }

            @Override
            public void assigned(Set<Integer> partitions) {
                handler.assigned(partitions);
            }

            @Override
            public void revoked(Set<Integer> partitions) {
                handler.revoked(partitions);
            }
        };
    }

    private CompletionStage<Void> tracedHandle(String group, BusEventHandler handler, BusEvent busEvent) {
        Span span = tracing.start("receive " + busEvent.topic(), SpanKind.CONSUMER,
                tracing.contextOf(busEvent.event()));
        span.setAttribute("messaging.destination.name", busEvent.topic());
        span.setAttribute("messaging.consumer.group.name", group);
        span.setAttribute("messaging.message.id", busEvent.event().getId());
        span.setAttribute("messaging.destination.partition.id", String.valueOf(busEvent.partition()));
        CompletionStage<Void> outcome;
        try (Scope ignored = span.makeCurrent()) {
            outcome = handler.handle(busEvent);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return EventTracing.endWhenDone(span, outcome);
    }

    @Override
    public java.util.Optional<BusHistory> history() {
        return bus.history();
    }

    @Override
    public boolean isReachable(Duration timeout) {
        return bus.isReachable(timeout);
    }

    @Override
    public void close() {
        bus.close();
    }
}
