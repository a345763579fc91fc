package dev.sluice.trigger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.sluice.trigger.delivery.DeliveryOutcome;

/**
 * One redrive of dead letters and how far it got: of {@code total} letters chosen, {@code redriven} were sent
 * again, and ended {@code delivered}, {@code deadLetteredAgain} (back on the dead letter, as a new letter) or
 * {@code failed} (the dead letter refused it too; the old letter then stays unredriven).
 */
final class Redrive {
    private final String id;
    private final long total;
    private final Consumer<DeliveryOutcome> meter;
    final AtomicLong redriven = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong deadLetteredAgain = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    private volatile String state = "running";
    private volatile String message;

    /**
     * @param meter counts each outcome in the service's metrics
     */
    Redrive(String id, long total, Consumer<DeliveryOutcome> meter) {
        this.id = id;
        this.total = total;
        this.meter = meter;
    }

    String id() {
        return id;
    }

    void counted(DeliveryOutcome outcome) {
        redriven.incrementAndGet();
        meter.accept(outcome);
        switch (outcome) {
            case DELIVERED -> delivered.incrementAndGet();
            case DEAD_LETTERED -> deadLetteredAgain.incrementAndGet();
            default -> failed.incrementAndGet();
        }
    }

    void finished() {
        state = "done";
    }

    void failed(String why) {
        message = why;
        state = "failed";
    }

    /** The JSON the API answers with (docs/api.md, "Redrive"). */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("state", state);
        view.put("total", total);
        view.put("redriven", redriven.get());
        view.put("delivered", delivered.get());
        view.put("deadLetteredAgain", deadLetteredAgain.get());
        view.put("failed", failed.get());
        if (message != null) {
            view.put("message", message);
        }
        return view;
    }
}
