package dev.sluice.trigger.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.cloudevents.BinaryEvent;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkResponse;
import dev.sluice.tracing.EventTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * One destination with its delivery policy, dead letter and reply destination: the dispatch boundary. Its stage
 * always completes normally, with where the event ended, so that the caller can commit it.
 */
public class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final Sink target;
    private final Optional<Sink> deadLetter;
    private final Optional<Sink> replies;
    private final String owner;
    private final EventTracing tracing;
    private final int maxHops;

    /** A delivery without tracing, with the default hop limit. */
    public Delivery(Sink target, Optional<Sink> deadLetter, Optional<Sink> replies, String owner) {
        this(target, deadLetter, replies, owner, EventTracing.off(), DEFAULT_MAX_HOPS);
    }

    /** The default of {@code sluice.trigger.max-hops}. */
    public static final int DEFAULT_MAX_HOPS = 32;
    /** The status a dead letter carries in {@code sluiceerrorcode} when the hop limit stopped the event. */
    public static final int LOOP_DETECTED = 508;

    /**
     * @param target the destination, already retrying as the policy says
     * @param deadLetter where events go that the destination did not take, retrying likewise
     * @param replies where the destination's reply events go, retrying likewise; without it, replies are ignored
     * @param owner the resource that delivers, for logs
     * @param tracing so that dead letters and replies, sent from whichever thread the answer came on, stay in the
     *        trace of the delivery
     * @param maxHops loop protection: an event that has been through this many deliveries goes to the dead letter
     */
    public Delivery(Sink target, Optional<Sink> deadLetter, Optional<Sink> replies, String owner,
            EventTracing tracing, int maxHops) {
        this.target = target;
        this.deadLetter = deadLetter;
        this.replies = replies;
        this.owner = owner;
        this.tracing = tracing;
        this.maxHops = maxHops;
    }

    /**
     * Sends the event with its hop count one up; an event that already made {@code maxHops} is dead-lettered
     * instead, with code 508 and the reason.
     */
    public CompletionStage<DeliveryResult> deliver(CloudEvent received) {
        int hops = hops(received);
        if (hops >= maxHops) {
            SinkResponse loop = SinkResponse.answered(LOOP_DETECTED, "hop limit of " + maxHops
                    + " deliveries reached (sluice.trigger.max-hops): the event is fed back into its own input",
                    Optional.empty(), Optional.empty());
            return afterAnswer(received, loop);
        }
        // an event as it came off the bus keeps its texts and data; only the hop count is new
        CloudEvent event = received instanceof BinaryEvent binary
                ? binary.withExtension(CloudEvents.HOPS, Integer.toString(hops + 1))
                : CloudEventBuilder.from(received).withExtension(CloudEvents.HOPS, hops + 1).build();
        Context trace = tracing.current();
        return safely(target, event).thenCompose(response -> {
            try (Scope ignored = EventTracing.enter(trace)) {
                return afterAnswer(event, response);
            }
        });
    }

    private CompletionStage<DeliveryResult> afterAnswer(CloudEvent event, SinkResponse response) {
        if (response.isDelivered()) {
            return forwardReply(event, response);
        }
        if (deadLetter.isEmpty()) {
            LOG.warnf("Dropped event %s of %s: %s answered %s and no dead letter is set", event.getId(), owner,
                    target.destination(), response.describe());
            return CompletableFuture.completedFuture(new DeliveryResult(DeliveryOutcome.DROPPED, response));
        }
        Sink letters = deadLetter.get();
        return safely(letters, DeadLetter.of(event, response, target.destination())).thenApply(dead -> {
            if (dead.isDelivered()) {
                LOG.infof("Dead-lettered event %s of %s to %s: %s answered %s", event.getId(), owner,
                        letters.destination(), target.destination(), response.describe());
                return new DeliveryResult(DeliveryOutcome.DEAD_LETTERED, response);
            }
            LOG.errorf("Dropped event %s of %s: %s answered %s, and its dead letter %s answered %s",
                    event.getId(), owner, target.destination(), response.describe(), letters.destination(),
                    dead.describe());
            return new DeliveryResult(DeliveryOutcome.DROPPED, response);
        });
    }

    /**
     * Sends the sink's reply on, before the event counts as done, so that a crash in between delivers the event
     * again rather than losing its reply.
     */
    private CompletionStage<DeliveryResult> forwardReply(CloudEvent event, SinkResponse response) {
        if (replies.isEmpty() || response.reply().isEmpty()) {
            return CompletableFuture.completedFuture(new DeliveryResult(DeliveryOutcome.DELIVERED, response));
        }
        Sink to = replies.get();
        // a reply goes on from where the event was, so a function that answers into its own input stops too
        CloudEvent reply = CloudEventBuilder.from(response.reply().get())
                .withExtension(CloudEvents.HOPS, hops(event)).build();
        return safely(to, reply).thenApply(answer -> {
            if (!answer.isDelivered()) {
                LOG.errorf("Lost reply %s to event %s of %s: %s answered %s", reply.getId(), event.getId(), owner,
                        to.destination(), answer.describe());
            }
            return new DeliveryResult(DeliveryOutcome.DELIVERED, response, Optional.of(answer));
        });
    }

    /** The bus topics this delivery publishes to (its target, dead letter and replies), to create up front. */
    public List<String> busTopics() {
        List<String> topics = new ArrayList<>(target.busTopics());
        deadLetter.ifPresent(d -> topics.addAll(d.busTopics()));
        replies.ifPresent(r -> topics.addAll(r.busTopics()));
        return topics;
    }

    /** The destination this delivery sends to. */
    public String destination() {
        return target.destination();
    }

    /** The event's {@code sluicehops}; 0 when it has none or one that is not a number. */
    static int hops(CloudEvent event) {
        Object value = event.getExtension(CloudEvents.HOPS);
        if (value instanceof Integer count) {
            return Math.max(0, count);
        }
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.toString().trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static CompletionStage<SinkResponse> safely(Sink sink, CloudEvent event) {
        try {
            return sink.send(event).exceptionally(SinkResponse::unreachable);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(SinkResponse.unreachable(e));
        }
    }
}
