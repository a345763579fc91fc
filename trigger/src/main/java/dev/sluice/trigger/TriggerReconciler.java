package dev.sluice.trigger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.BusTable;
import dev.sluice.bus.Buses;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.flow.RecentEvents;
import dev.sluice.resources.ResourceLogLevel;
import dev.sluice.resources.Reconciler;
import dev.sluice.sink.SinkOwner;
import dev.sluice.tracing.EventTracing;
import dev.sluice.trigger.TriggerPlan.PlannedSubscriber;
import dev.sluice.trigger.delivery.Deliveries;
import dev.sluice.trigger.delivery.Delivery;
import dev.sluice.trigger.delivery.DeliveryPolicy;
import dev.sluice.trigger.delivery.TriggerConfig;
import dev.sluice.sink.SinkRefResolver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs each Trigger on its bus, each subscriber with a consumer group of its own ({@link BusNames#subscriberGroup})
 * that holds its position, through the bus's shared reader of its inputs ({@link dev.sluice.bus.Bus#subscribeShared}):
 * the inputs are read once for every Trigger on them, and one subscriber's sink outage holds up no other. A Trigger is
 * compiled once per generation and (re)started only when its generation or its bus changes; otherwise a
 * reconcile just reports how the running one is doing. Sub-conditions: {@code BusResolved},
 * {@code ConditionCompiled}, {@code SinkResolved}, {@code Subscribed}.
 */
@ApplicationScoped
public class TriggerReconciler implements Reconciler<Trigger> {
    private static final Logger LOG = Logger.getLogger(TriggerReconciler.class);
    /** How long a reconcile waits for the bus to create topics; if it takes longer, the next resync tries again. */
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    Buses buses;

    @Inject
    TriggerTenancy tenancy;

    @Inject
    Deliveries deliveries;

    @Inject
    SinkRefResolver refs;

    @Inject
    MeterRegistry registry;

    @Inject
    RecentEvents recentEvents;

    @Inject
    Clock clock;

    @Inject
    EventTracing tracing;

    @Inject
    TriggerConfig config;

    /**
     * The last start of each Trigger, for the generation and bus it was made for. Written on the reconcile thread
     * only; the management API reads it from others.
     */
    private final Map<ResourceKey, Attempt> attempts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each Trigger's generation compiled, or why it does not compile, so that no resync compiles it again. */
    private final Map<ResourceKey, Compiled> compiled = new HashMap<>();

    private record Compiled(long generation, Optional<TriggerPlan> plan, Optional<InvalidSpecException> failure) {
    }

    /**
     * @param conditions the sub-conditions the start ended with, {@code Subscribed} excepted
     * @param run the running Trigger, when it started
     * @param settled false when the next reconcile should try again (the bus was slow), true when only a new
     *        generation or bus can change the outcome
     */
    private record Attempt(long generation, String busIdentity, List<Condition> conditions,
            Optional<RunningTrigger> run, boolean settled) {

        boolean isFor(long otherGeneration, String otherBus) {
            return generation == otherGeneration && busIdentity.equals(otherBus);
        }
    }

    @jakarta.annotation.PostConstruct
    void registerMeters() {
        Gauge.builder("sluice.trigger.subscribers.on.own", this, TriggerReconciler::subscribersOnTheirOwn)
                .description("Subscribers that fell behind the others on their input and read it on a consumer of"
                        + " their own until they catch up")
                .register(registry);
    }

    /** Subscribers reading on a consumer of their own now, having fallen behind those that share their reader. */
    int subscribersOnTheirOwn() {
        return attempts.values().stream().flatMap(a -> a.run().stream()).mapToInt(RunningTrigger::onTheirOwn).sum();
    }

    @Override
    public boolean serves(SluiceResource<?> resource) {
        return resource instanceof Trigger;
    }

    @Override
    public List<Condition> reconcile(Trigger trigger) {
        ResourceKey key = trigger.key();
        Buses.Resolved bus;
        try {
            bus = buses.resolve(trigger.getMetadata().getNamespace(), trigger.getSpec().getEventBus(), "spec.eventBus");
        } catch (InvalidSpecException e) {
            stop(key);
            buses.release(key);
            return List.of(e.toCondition(ConditionTypes.BUS_RESOLVED));
        }
        buses.use(key, bus);
        try {
            tenancy.check(trigger);
        } catch (InvalidSpecException e) {
            stop(key); // checked at every reconcile: a source may stop allowing this namespace
            return List.of(Condition.ok(ConditionTypes.BUS_RESOLVED, Reasons.RESOLVED), e.toCondition(ConditionTypes.SPEC_VALID));
        }
        Attempt attempt = attempts.get(key);
        if (attempt == null || !attempt.isFor(trigger.generation(), bus.identity())) {
            stop(key);
            attempt = start(trigger, bus);
            attempts.put(key, attempt);
        }
        List<Condition> conditions = new ArrayList<>();
        conditions.add(Condition.ok(ConditionTypes.BUS_RESOLVED, Reasons.RESOLVED));
        conditions.addAll(attempt.conditions());
        attempt.run().ifPresent(run -> conditions.add(run.isAssigned()
                ? Condition.ok(ConditionTypes.SUBSCRIBED, Reasons.SUBSCRIBED)
                : Condition.failed(ConditionTypes.SUBSCRIBED, Reasons.SUBSCRIBING, run.waitingFor()
                        .orElse("waiting for the bus to assign the partitions of " + groupOf(key, 0)))));
        if (!attempt.settled()) {
            attempts.remove(key);
        }
        return conditions;
    }

    private Attempt start(Trigger trigger, Buses.Resolved bus) {
        ResourceKey key = trigger.key();
        TriggerPlan plan;
        try {
            ResourceLogLevel.apply("trigger", key.namespace(), key.name(), trigger.getSpec().getLogLevel());
            plan = planOf(trigger);
        } catch (SinkRefResolver.Unresolved e) {
            // the referenced object may appear or become addressable: the next reconcile tries again
            return new Attempt(trigger.generation(), bus.identity(), List.of(e.toCondition(ConditionTypes.SINK_RESOLVED)),
                    Optional.empty(), false);
        } catch (InvalidSpecException e) {
            return failed(trigger, bus, List.of(e.toCondition(ConditionTypes.SPEC_VALID)));
        }
        List<Condition> conditions = new ArrayList<>(List.of(Condition.ok(ConditionTypes.CONDITION_COMPILED, Reasons.COMPILED)));
        TriggerMeters meters = new TriggerMeters(registry, recentEvents, key.namespace(), key.name());
        List<SubscriberRoute> routes = new ArrayList<>();
        // with one input, what a window holds never changes an outcome (the arriving event is the input's latest):
        // only joins are worth a write per held event
        Optional<BusTable> windows = trigger.getSpec().getInputs().size() > 1
                ? bus.bus().table(CorrelationWindows.TABLE)
                : Optional.empty();
        try {
            for (int i = 0; i < plan.subscribers().size(); i++) {
                PlannedSubscriber subscriber = plan.subscribers().get(i);
                routes.add(route(trigger, i, subscriber, meters.subscriber(subscriber.index(), subscriber.tag()), windows));
            }
        } catch (InvalidSpecException e) {
            conditions.add(e.toCondition(ConditionTypes.SINK_RESOLVED));
            return failed(trigger, bus, conditions);
        }
        conditions.add(Condition.ok(ConditionTypes.SINK_RESOLVED, Reasons.RESOLVED));
        try {
            bus.bus().ensureTopics(topicsOf(plan, routes)).toCompletableFuture().get(TOPICS_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Topics of %s not created yet: %s", key, e.getMessage());
            conditions.add(Condition.failed(ConditionTypes.SUBSCRIBED, Reasons.TOPICS_NOT_CREATED, "the bus did not create the topics "
                    + topicsOf(plan, routes) + ": " + e.getMessage()));
            return new Attempt(trigger.generation(), bus.identity(), conditions, Optional.empty(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(trigger.generation(), bus.identity(),
                    List.of(Condition.failed(ConditionTypes.SUBSCRIBED, Reasons.INTERRUPTED, "shutting down")), Optional.empty(), false);
        }
        RunningTrigger run = new RunningTrigger(key.toString(), plan, routes, meters, CorrelationWindows.keyOf(key),
                windows, bus.bus());
        for (int i = 0; i < run.subscriberCount(); i++) {
            run.subscribed(bus.bus().subscribeShared(groupOf(key, i), plan.inputsByTopic().keySet(), run.handlerFor(i)));
        }
        LOG.infof("%s generation %d subscribed as %s to %s", key, plan.generation(),
                run.subscriberCount() == 1 ? groupOf(key, 0) : groupOf(key, 0) + " and its subscribers' groups",
                plan.inputsByTopic().keySet());
        return new Attempt(trigger.generation(), bus.identity(), conditions, Optional.of(run), true);
    }

    private SubscriberRoute route(Trigger trigger, int index, PlannedSubscriber subscriber, TriggerMeters.Subscriber meters,
            Optional<BusTable> windows) {
        ResourceKey key = trigger.key();
        String name = key + " " + subscriber.field();
        String busName = Buses.nameOf(trigger.getSpec().getEventBus());
        // the lane and windows belong to this run: a new generation starts with empty ones
        SinkOwner owner = new SinkOwner(key.namespace(), key.name(), Optional.of(busName));
        Delivery delivery = deliveries.delivery(subscriber.delivery(), owner, name,
                (event, response, retry, delay) -> meters.retried());
        return new SubscriberRoute(name, subscriber.filter(), subscriber.condition(),
                new CorrelationWindows(CorrelationWindows.keyOf(key) + index + "/", trigger.generation(),
                        subscriber.window(), clock, windows), delivery,
                DeliveryLane.of(subscriber.delivery().policy()), meters, tracing,
                ResourceLogLevel.logger("trigger", key.namespace(), key.name()));
    }

    private TriggerPlan planOf(Trigger trigger) {
        Compiled current = compiled.get(trigger.key());
        if (current == null || current.generation() != trigger.generation()) {
            try {
                current = new Compiled(trigger.generation(), Optional.of(TriggerPlan.of(trigger, DeliveryPolicy.DEFAULTS,
                        config.cel().maxIterations(), refs::resolve)), Optional.empty());
            } catch (SinkRefResolver.Unresolved e) {
                throw e; // not kept: a ref that resolves later compiles on a later reconcile
            } catch (InvalidSpecException e) {
                current = new Compiled(trigger.generation(), Optional.empty(), Optional.of(e));
            }
            compiled.put(trigger.key(), current);
        }
        if (current.failure().isPresent()) {
            throw current.failure().get();
        }
        return current.plan().orElseThrow();
    }

    /** The input topics, and the topics the subscribers publish to, so they exist before the first event. */
    private static Set<String> topicsOf(TriggerPlan plan, List<SubscriberRoute> routes) {
        Set<String> topics = new LinkedHashSet<>(plan.inputsByTopic().keySet());
        routes.forEach(route -> topics.addAll(route.busTopics()));
        return topics;
    }

    /** A failure that stays until the Trigger's generation or bus changes; a resync does not redo it. */
    private static Attempt failed(Trigger trigger, Buses.Resolved bus, List<Condition> conditions) {
        return new Attempt(trigger.generation(), bus.identity(), conditions, Optional.empty(), true);
    }

    /** The Trigger running now under {@code key}, if it started: what replays and redrives deliver through. */
    Optional<RunningTrigger> running(ResourceKey key) {
        Attempt attempt = attempts.get(key);
        return attempt == null ? Optional.empty() : attempt.run();
    }

    static String groupOf(ResourceKey key, int index) {
        return BusNames.subscriberGroup(key.namespace(), key.name(), index);
    }

    @Override
    public void delete(ResourceKey key) {
        Optional<RunningTrigger> run = Optional.ofNullable(attempts.get(key)).flatMap(Attempt::run);
        stop(key);
        run.ifPresent(RunningTrigger::forgetWindows);
        compiled.remove(key);
        buses.release(key);
    }

    /**
     * Stops every Trigger at once: each waits for its events in flight and leaves its group, and shutdown has
     * Kubernetes' 30 s grace period in all, however many Triggers run. Their correlation windows stay saved.
     */
    @Override
    public void stopAll() {
        List<RunningTrigger> runs = attempts.values().stream().flatMap(a -> a.run().stream()).toList();
        attempts.clear();
        compiled.clear();
        ParallelClose.all("trigger", runs);
    }

    private void stop(ResourceKey key) {
        Attempt previous = attempts.remove(key);
        if (previous != null && previous.run().isPresent()) {
            previous.run().get().close();
            LOG.infof("%s generation %d stopped", key, previous.generation());
        }
    }
}
