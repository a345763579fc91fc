package dev.sluice.benchmarks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies from an event's {@code time} (set by the load generator when it sent the event) to its receipt, in
 * microseconds, and when the first and last event arrived. Safe to record from many threads.
 */
final class LatencyRecorder {
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong firstMicros = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastMicros = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    /** Wall-clock microseconds, the clock the load generator stamps {@code time} with. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** An RFC 3339 time with microseconds, as the load generator writes it. */
    static String stamp(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000).toString();
    }

    /** Records one receipt of an event stamped {@code sentTime}; null or unreadable stamps are only counted. */
    void received(String sentTime) {
        long now = nowMicros();
        count.incrementAndGet();
        firstMicros.accumulateAndGet(now, Math::min);
        lastMicros.accumulateAndGet(now, Math::max);
        if (sentTime == null) {
            unreadable.incrementAndGet();
            return;
        }
        try {
            Instant sent = OffsetDateTime.parse(sentTime).toInstant();
            long sentMicros = sent.getEpochSecond() * 1_000_000 + sent.getNano() / 1_000;
            recorder.recordValue(Math.max(0, now - sentMicros));
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
        }
    }

    long count() {
        return count.get();
    }

    /** What was recorded since the last reset; resets. */
    Snapshot takeAndReset() {
        Histogram histogram = recorder.getIntervalHistogram();
        Snapshot snapshot = new Snapshot(count.getAndSet(0), unreadable.getAndSet(0),
                histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0, firstMicros.getAndSet(Long.MAX_VALUE), lastMicros.getAndSet(0));
        return snapshot;
    }

    /**
     * @param p50Millis latency percentiles and maximum, in milliseconds
     * @param firstMicros when the first event arrived, {@code Long.MAX_VALUE} when none did
     */
    record Snapshot(long count, long unreadable, double p50Millis, double p99Millis, double maxMillis,
            long firstMicros, long lastMicros) {

        /** Events per second between the first and the last receipt. */
        double ratePerSecond() {
            long span = lastMicros - firstMicros;
            return count < 2 || span <= 0 ? 0 : (count - 1) * 1_000_000.0 / span;
        }
    }
}
