package dev.sluice.source.cron;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
import dev.sluice.source.EventKey;

/**
 * Which replica fires a cron event's ticks, and the last tick fired, both kept on the event's Kafka bus, so that
 * with several event-source replicas exactly one fires each tick and a new holder goes on where the old one stopped.
 *
 * <p>The lease: every replica running the event joins the consumer group {@link BusNames#cronLeaseGroup} on the
 * topic {@link BusNames#cronLeaseTopic} (nothing is ever published there); the member Kafka assigns partition 0
 * holds the lease. A replica that stops leaves the group, and another member gets partition 0 at once; one that
 * dies loses it when its session times out. The last tick fired is a key of the compacted table
 * {@value #TICKS_TABLE} (the event's topic name, the tick as ISO-8601), written once the bus acknowledged the tick
 * and read by each new holder, whose missed ticks then follow {@code sluice.sources.cron.missed-ticks}.
 *
 * <p>A bus that keeps no table (Dapr) has no consumer groups Sluice can see either: there
 * {@link #on(Bus, EventKey, Runnable, Runnable)} gives no lease and every replica fires.
 */
final class CronLease implements BusEventHandler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CronLease.class);
    static final String TICKS_TABLE = "sluice-cron-ticks";
    private static final int LEASE_PARTITION = 0;

    private final EventKey key;
    private final BusTable ticks;
    private final Runnable onAcquired;
    private final Runnable onReleased;
    private volatile boolean held;
    private volatile boolean closed;
    private volatile BusSubscription subscription;

    private CronLease(EventKey key, BusTable ticks, Runnable onAcquired, Runnable onReleased) {
        this.key = key;
        this.ticks = ticks;
        this.onAcquired = onAcquired;
        this.onReleased = onReleased;
    }

    /**
     * Competes for the lease of {@code key} on {@code bus}; {@code onAcquired} and {@code onReleased} run on the
     * bus's consumer thread and must only hand work over. Empty when the bus keeps no table (Dapr).
     */
    static Optional<CronLease> on(Bus bus, EventKey key, Runnable onAcquired, Runnable onReleased) {
        Optional<BusTable> ticks = bus.table(TICKS_TABLE);
        if (ticks.isEmpty()) {
            return Optional.empty();
        }
        CronLease lease = new CronLease(key, ticks.get(), onAcquired, onReleased);
        String topic = BusNames.cronLeaseTopic(key.namespace(), key.eventSource(), key.event());
        bus.ensureTopics(List.of(topic)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf("Cannot create the lease topic %s of %s: %s; its ticks wait for it", topic, key, error.getMessage());
            }
            synchronized (lease) {
                if (!lease.closed) {
                    lease.subscription = bus.subscribe(
                            BusNames.cronLeaseGroup(key.namespace(), key.eventSource(), key.event()), List.of(topic), lease);
                }
            }
        });
        return Optional.of(lease);
    }

    boolean held() {
        return held && !closed;
    }

    /** The last tick any replica fired; blocks while it reads the table. */
    Optional<Instant> lastFired() {
        byte[] value = ticks.read(key.topic()).get(key.topic());
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(new String(value, StandardCharsets.UTF_8)));
        } catch (DateTimeParseException e) {
            LOG.warnf("Cannot read the last tick of %s from %s (%s); starting from now", key, TICKS_TABLE, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records a tick the bus acknowledged; completes once the table has it. */
    CompletionStage<Void> fired(Instant tick) {
        return ticks.put(key.topic(), tick.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<Void> handle(BusEvent event) {
        return CompletableFuture.completedFuture(null); // nothing is published to a lease topic
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        if (partitions.contains(LEASE_PARTITION) && !held) {
            held = true;
            LOG.infof("This replica fires the ticks of %s", key);
            onAcquired.run();
        }
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        if (partitions.contains(LEASE_PARTITION) && held) {
            held = false;
            LOG.infof("This replica no longer fires the ticks of %s", key);
            onReleased.run();
        }
    }

    /** Leaves the group, so that another replica takes the lease at once. */
    @Override
    public void close() {
        BusSubscription current;
        synchronized (this) {
            closed = true;
            current = subscription;
        }
        if (current != null) {
            current.close();
        }
    }
}
