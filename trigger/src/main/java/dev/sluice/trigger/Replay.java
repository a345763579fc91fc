package dev.sluice.trigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.api.ResourceKey;
import dev.sluice.trigger.delivery.DeliveryOutcome;

/**
 * One replay of a Trigger's events and how far it got. Counts: {@code scanned} events read from the bus,
 * {@code matched} (event, subscriber) pairs that the replay's and the subscriber's conditions took, and their
 * outcomes: {@code delivered}, {@code deadLettered}, {@code failed} (dropped: no dead letter took it).
 */
final class Replay {
    enum State {
        RUNNING, DONE, CANCELLED, FAILED
    }

    private final String id;
    private final ResourceKey trigger;
    private final Instant from;
    private final Optional<Instant> to;
    private final String condition;
    final AtomicLong scanned = new AtomicLong();
    final AtomicLong matched = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    private volatile long total;
    private volatile State state = State.RUNNING;
    private volatile String message;
    private volatile boolean cancelRequested;

    Replay(String id, ResourceKey trigger, Instant from, Optional<Instant> to, String condition) {
        this.id = id;
        this.trigger = trigger;
        this.from = from;
        this.to = to;
        this.condition = condition;
    }

    String id() {
        return id;
    }

    ResourceKey key() {
        return trigger;
    }

    void total(long events) {
        this.total = events;
    }

    void counted(Optional<DeliveryOutcome> outcome) {
        if (outcome.isEmpty()) {
            return;
        }
        matched.incrementAndGet();
        switch (outcome.get()) {
            case DELIVERED -> delivered.incrementAndGet();
            case DEAD_LETTERED -> deadLettered.incrementAndGet();
            default -> failed.incrementAndGet();
        }
    }

    void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void finished() {
        state = cancelRequested ? State.CANCELLED : State.DONE;
    }

    void failed(String why) {
        message = why;
        state = State.FAILED;
    }

    boolean running() {
        return state == State.RUNNING;
    }

    /** The JSON the API answers with (docs/api.md, "Replay"). */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("trigger", trigger.namespace() + "/" + trigger.name());
        // a replay asked to stop reports cancelled at once; events in flight still reach their outcome
        view.put("state", (state == State.RUNNING && cancelRequested ? State.CANCELLED : state).name().toLowerCase());
        view.put("from", from.toString());
        view.put("to", to.map(Instant::toString).orElse(null));
        view.put("condition", condition);
        view.put("total", total);
        view.put("scanned", scanned.get());
        view.put("matched", matched.get());
        view.put("delivered", delivered.get());
        view.put("deadLettered", deadLettered.get());
        view.put("failed", failed.get());
        if (message != null) {
            view.put("message", message);
        }
        return view;
    }
}
