package dev.sluice.source.cron;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.eventsource.CronEventSpec;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.config.SluiceConfig;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.EventSourceAdapter;
import dev.sluice.source.PublishRetries;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.RetryingPublisher;
import dev.sluice.source.SourcesConfig;
import dev.sluice.source.SourcesConfig.MissedTicks;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.smallrye.common.annotation.Identifier;

/**
 * {@code spec.cron}: each tick of the event's {@link CronSchedule} is one CloudEvent whose id is made of the
 * resource, the event name and the scheduled time ({@code default/my-eventsource/tick@2026-11-30T08:00:00Z}), so a
 * tick sent twice (the bus took it but Sluice stopped before recording it) is a visible duplicate, never a new event.
 *
 * <p>The next tick is armed only once the previous one was acknowledged and recorded ({@link CronTickStore}); ticks
 * that fell meanwhile, or while Sluice was stopped, are missed ticks, handled by
 * {@code sluice.sources.cron.missed-ticks}: {@code fire-once} sends the latest of them, {@code skip} none; each one
 * not sent is logged and counted ({@code sluice.source.received}, outcome {@code skipped}).
 *
 * <p>Replicas: on a Kafka bus only the replica holding the event's {@link CronLease} fires, and the last tick
 * fired is kept on the bus, so a new holder follows the missed-ticks policy from where the old one stopped. Straight
 * to a sink, or on a Dapr bus, there is no lease: each replica fires each tick (same id) and records it in its
 * local file ({@link CronTickStore}).
 */
@ApplicationScoped
@Identifier(CronEventSource.TYPE)
public class CronEventSource implements EventSourceAdapter<CronEventSpec> {
    private static final Logger LOG = Logger.getLogger(CronEventSource.class);
    static final String TYPE = "cron";
    static final String EVENT_TYPE = "dev.sluice.cron.tick";
    /** Missed ticks are counted one by one up to this many; a schedule of milliseconds down for days stops there. */
    private static final int MAX_COUNTED = 100_000;

    @Inject
    SourcesConfig config;

    @Inject
    SluiceConfig sluice;

    @Inject
    ReceivedCounter received;

    @Inject
    PublishRetries retries;

    @Inject
    ObjectMapper mapper;

    private volatile Clock clock = Clock.systemUTC();
    private CronTickStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sluice-cron"));
    private final Map<EventKey, Ticker> running = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        store = new CronTickStore(Path.of(sluice.data().dir()).resolve(config.cron().stateDir()));
    }

    /** For tests: the clock that says what time it is (a method, so that it reaches the bean behind its proxy). */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, CronEventSpec> events(EventSourceSpec spec) {
        return spec.getCron();
    }

    @Override
    public void start(EventKey key, CronEventSpec spec, EventPublisher publisher) {
        CronSchedule schedule = CronSchedule.parse(spec == null ? null : spec.getSchedule(),
                spec == null ? null : spec.getTimeZone(), "spec.cron." + key.event());
        stop(key);
        Ticker ticker = new Ticker(key, schedule, retries.forEvent(key, TYPE, publisher));
        running.put(key, ticker);
        ticker.lease = publisher.targetBus().flatMap(bus -> CronLease.on(bus.bus(), key,
                () -> timer.execute(ticker::acquired), () -> timer.execute(ticker::disarm)));
        if (ticker.lease.isEmpty()) {
            timer.execute(() -> ticker.armAfter(store.lastFired(key).orElse(null)));
        }
    }

    @Override
    public void stop(EventKey key) {
        Ticker ticker = running.remove(key);
        if (ticker != null) {
            ticker.stop();
        }
    }

    @PreDestroy
    void shutdown() {
        running.keySet().forEach(this::stop);
        timer.shutdownNow();
    }

    /** The ticks of one event; every method runs on the timer thread. */
    private final class Ticker {
        private final EventKey key;
        private final CronSchedule schedule;
        private final RetryingPublisher publisher;
        private final URI source;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> armed;
        private volatile Optional<CronLease> lease = Optional.empty();
        /** Changes whenever the lease is taken or given up, so that a chain of ticks of an earlier holding ends. */
        private int holding;

        Ticker(EventKey key, CronSchedule schedule, RetryingPublisher publisher) {
            this.key = key;
            this.schedule = schedule;
            this.publisher = publisher;
            this.source = CloudEvents.sourceUri(key.namespace(), key.eventSource(), key.event());
        }

        /** This replica took the lease: goes on from the last tick any replica fired. */
        void acquired() {
            disarm();
            armAfter(lease.flatMap(CronLease::lastFired).orElse(null));
        }

        /** Stops the chain of ticks, e.g. when the lease went to another replica. */
        void disarm() {
            holding++;
            ScheduledFuture<?> current = armed;
            if (current != null) {
                current.cancel(false);
            }
        }

        private boolean mayFire() {
            return !stopped && lease.map(CronLease::held).orElse(true);
        }

        /** Arms the first tick after {@code lastFired}, or after now when none fired yet; catches up missed ones first. */
        void armAfter(Instant lastFired) {
            if (!mayFire()) {
                return;
            }
            Instant now = clock.instant();
            Optional<Instant> next = schedule.next(lastFired == null ? now : lastFired);
            if (next.isEmpty()) {
                LOG.infof("Schedule %s of %s has no more ticks", schedule, key);
                return;
            }
            if (next.get().isAfter(now)) {
                long delay = Duration.between(now, next.get()).toMillis();
                int current = holding;
                armed = timer.schedule(() -> fire(next.get(), current), delay, TimeUnit.MILLISECONDS);
                return;
            }
            catchUp(next.get(), now);
        }

        /** Ticks from {@code first} up to {@code now} were missed: fire the latest once, or none, per the setting. */
        private void catchUp(Instant first, Instant now) {
            Instant latest = first;
            long missed = 1;
            for (Optional<Instant> t = schedule.next(first); t.isPresent() && !t.get().isAfter(now)
                    && missed < MAX_COUNTED; t = schedule.next(t.get())) {
                latest = t.get();
                missed++;
            }
            boolean fireOnce = config.cron().missedTicks() == MissedTicks.FIRE_ONCE;
            long skipped = fireOnce ? missed - 1 : missed;
            if (skipped > 0) {
                LOG.warnf("%s missed %d tick(s) of %s from %s to %s; %s", key, missed, schedule, first, latest,
                        fireOnce ? "firing the latest once (sluice.sources.cron.missed-ticks=fire-once)"
                                : "firing none (sluice.sources.cron.missed-ticks=skip)");
                received.count(key, TYPE, ReceivedCounter.SKIPPED, skipped);
            }
            if (fireOnce) {
                fire(latest, holding);
            } else {
                armAfter(now);
            }
        }

        private void fire(Instant tick, int chain) {
            if (!mayFire() || chain != holding) {
                return;
            }
            CloudEvent event = tickEvent(tick);
            publisher.publish(event).whenCompleteAsync((ok, error) -> {
                if (error != null) {
                    received.count(key, TYPE, ReceivedCounter.STOPPED);
                    return; // stopped while retrying: the tick was not acknowledged, so it is not recorded
                }
                received.count(key, TYPE, ReceivedCounter.PUBLISHED);
                LOG.debugf("Tick %s of %s sent as event %s", tick, key, event.getId());
                recorded(tick).whenCompleteAsync((done, failed) -> {
                    if (failed != null) {
                        // the tick was sent; only a new holder's or a restart's catch-up loses precision
                        LOG.errorf("Cannot record tick %s of %s: %s", tick, key, failed.getMessage());
                    }
                    if (chain == holding) {
                        armAfter(tick);
                    }
                }, timer);
            }, timer);
        }

        private java.util.concurrent.CompletionStage<Void> recorded(Instant tick) {
            if (lease.isPresent()) {
                return lease.get().fired(tick);
            }
            store.fired(key, tick);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        private CloudEvent tickEvent(Instant tick) {
            byte[] data;
            try {
                data = mapper.writeValueAsBytes(Map.of("schedule", schedule.toString(), "scheduledTime", tick.toString()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return CloudEventBuilder.v1()
                    .withId(key.namespace() + "/" + key.eventSource() + "/" + key.event() + "@" + tick)
                    .withSource(source)
                    .withType(EVENT_TYPE)
                    .withSubject(key.event())
                    .withTime(tick.atOffset(ZoneOffset.UTC))
                    .withDataContentType("application/json")
                    .withData(data)
                    .build();
        }

        void stop() {
            stopped = true;
            lease.ifPresent(CronLease::close);
            publisher.stop();
            ScheduledFuture<?> current = armed;
            if (current != null) {
                current.cancel(false);
            }
        }
    }
}
