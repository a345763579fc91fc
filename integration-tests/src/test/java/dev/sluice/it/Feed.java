package dev.sluice.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A producer outside Sluice that keeps publishing at a fixed rate, whether Sluice is up or not, and records
 * the id of every message its broker acknowledged: the events Sluice must not lose.
 */
abstract class Feed implements AutoCloseable {
    private static final int PER_TICK = 20;
    private static final long TICK_MS = 20;

    private final int total;
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

    Feed(int total) {
        this.total = total;
    }

    /** Publishes message {@code number}; calls {@link #acknowledged} or {@link #failed} when the broker answers. */
    protected abstract void publish(int number);

    protected final void acknowledged(String eventId) {
        acknowledged.add(eventId);
    }

    protected final void failed() {
        failed.incrementAndGet();
    }

    /** Starts publishing {@code PER_TICK} messages every {@code TICK_MS} until {@code total} were sent. */
    void start() {
        ticker.scheduleAtFixedRate(() -> {
            for (int i = 0; i < PER_TICK && attempted.get() < total; i++) {
                publish(attempted.getAndIncrement());
            }
        }, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** True once every message was sent and the broker answered each. */
    boolean isDone() {
        return attempted.get() >= total && acknowledged.size() + failed.get() >= total;
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    int failures() {
        return failed.get();
    }

    @Override
    public void close() throws Exception {
        ticker.shutdownNow();
    }
}
