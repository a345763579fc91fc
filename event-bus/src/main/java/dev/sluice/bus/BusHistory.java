package dev.sluice.bus;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The events a bus keeps, read again outside any consumer group: nothing is committed, so no Trigger's live
 * consumption moves or waits. Replays, dead letters and the tail of a topic read through it. Only a bus that
 * keeps its events (Kafka) has one; see {@link Bus#history()}.
 */
public interface BusHistory {

    /** The events of one partition from {@code start} (inclusive) to {@code end} (exclusive), as offsets. */
    record Range(String topic, int partition, long start, long end) {
        public long size() {
            return Math.max(0, end - start);
        }
    }

    /**
     * Where the events of {@code topics} published in [from, to) lie, per partition. Blocks on the bus: call it
     * off any event loop.
     *
     * @param from the earliest publication time; empty for the oldest event kept
     * @param to the end, exclusive; empty for the events there are now, so that the ranges are bounded
     */
    List<Range> ranges(Collection<String> topics, Optional<Instant> from, Optional<Instant> to);

    /**
     * Reads the events of {@code ranges}, in order within each partition, and hands each to {@code handler} with
     * at most {@code maxInFlight} stages not yet complete. Blocks until every stage completed or {@code stop} says
     * to stop: call it on a thread of its own. A record that is not a CloudEvent is skipped.
     */
    void read(List<Range> ranges, BusEventHandler handler, int maxInFlight, BooleanSupplier stop)
            throws InterruptedException;

    /**
     * Follows {@code topics} from their current end, handing each new event to {@code consumer} on a thread of
     * its own, until the returned handle is closed. Blocks until the start is fixed, so an event published
     * after this returns is seen.
     */
    AutoCloseable follow(Collection<String> topics, Consumer<BusEvent> consumer);
}
