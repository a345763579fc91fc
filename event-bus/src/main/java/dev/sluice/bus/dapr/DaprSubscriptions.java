package dev.sluice.bus.dapr;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.bus.BusEventHandler;
import io.cloudevents.CloudEvent;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every subscription of this app on the Dapr bus, by topic, and what becomes of each delivery. Within one app Dapr
 * has one subscription per topic (the app id is the consumer group), so a delivery is parsed once and handed to
 * every subscription of its topic, and answered SUCCESS, RETRY or DROP. How the sidecar delivers is
 * {@code sluice.dapr.subscriptions}: it calls the app back ({@link DaprAppCallback}), or the app streams from it
 * ({@link DaprTopicStreams}).
 */
@ApplicationScoped
public class DaprSubscriptions {
    private static final Logger LOG = Logger.getLogger(DaprSubscriptions.class);

    @Inject
    DaprConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    DaprTopicStreams streams;

    private final Map<DaprTopic, List<DaprBusSubscription>> subscribers = new ConcurrentHashMap<>();
    /** When the last subscription of a topic left, in nanos. */
    private final Map<DaprTopic, Long> lastLeft = new ConcurrentHashMap<>();
    /** The topics the sidecar delivers to this app now. */
    private final Set<DaprTopic> delivered = ConcurrentHashMap.newKeySet();
    /** Whether the sidecar has asked the app callback for its topics yet. */
    private volatile boolean sidecarAsked;
    private DaprDeliveries deliveries;

    @PostConstruct
    void init() {
        deliveries = new DaprDeliveries(config.outcomeWait(), config.redeliveryMemory());
    }

    @PreDestroy
    void close() {
        deliveries.close();
    }

    boolean isStreaming() {
        return config.subscriptions() == DaprConfig.Subscriptions.STREAMING;
    }

    /**
     * @param metadata the EventBus's {@code spec.dapr.metadata}, for the sidecar's subscription
     * @param onClosed called once the subscription closed, so that its bus forgets it
     */
    DaprBusSubscription subscribe(String pubsubName, Map<String, String> metadata, String group,
            Collection<String> topics, BusEventHandler handler, Consumer<DaprBusSubscription> onClosed) {
        DaprBusSubscription subscription = new DaprBusSubscription(pubsubName, group, List.copyOf(topics), metadata,
                handler, this, onClosed);
        for (String name : subscription.topics()) {
            DaprTopic topic = new DaprTopic(pubsubName, name);
            // compute, not computeIfAbsent: an unsubscribe may be removing the list at this moment
            List<DaprBusSubscription> list = subscribers.compute(topic, (k, previous) -> {
                List<DaprBusSubscription> next = previous == null ? new CopyOnWriteArrayList<>() : previous;
                next.add(subscription);
                return next;
            });
            if (isStreaming()) {
                streams.open(topic, list.get(0).metadata());
            } else if (sidecarAsked && !delivered.contains(topic)) {
                LOG.warnf("Topic %s is new to the Dapr sidecar, which reads the app's subscriptions when it starts:"
                        + " %s receives it once the sidecar restarts", topic, group);
            }
        }
        return subscription;
    }

    void unsubscribe(DaprBusSubscription subscription) {
        for (String name : subscription.topics()) {
            DaprTopic topic = new DaprTopic(subscription.pubsubName(), name);
            List<DaprBusSubscription> left = subscribers.computeIfPresent(topic, (k, list) -> {
                list.remove(subscription);
                if (list.isEmpty()) {
                    lastLeft.put(k, System.nanoTime());
                    return null;
                }
                return list;
            });
            if (left == null && isStreaming()) {
                streams.close(topic);
            }
        }
    }

    /** Every topic with a subscription now, with the metadata of its first subscription. */
    Map<DaprTopic, Map<String, String>> wanted() {
        Map<DaprTopic, Map<String, String>> wanted = new LinkedHashMap<>();
        subscribers.forEach((topic, list) -> {
            if (!list.isEmpty()) {
                wanted.put(topic, list.get(0).metadata());
            }
        });
        return wanted;
    }

    /** The sidecar asked the app callback for its topics and was given these. */
    void sidecarSubscribed(Set<DaprTopic> topics) {
        delivered.retainAll(topics);
        delivered.addAll(topics);
        sidecarAsked = true;
    }

    /** A stream of this topic is open, or closed; the sidecar delivers its events accordingly. */
    void streamOpen(DaprTopic topic, boolean open) {
        if (open) {
            delivered.add(topic);
        } else {
            delivered.remove(topic);
        }
    }

    /** The topics that the sidecar does not deliver to this app yet. */
    List<String> undelivered(String pubsubName, Collection<String> topics) {
        return topics.stream().filter(t -> !delivered.contains(new DaprTopic(pubsubName, t))).toList();
    }

    /** Why these topics are not delivered yet, for a Trigger's condition. */
    String whyUndelivered(String pubsubName, List<String> topics) {
        String which = String.join(", ", topics) + " of " + pubsubName;
        return isStreaming() ? "waiting for the Dapr sidecar to open the stream of " + which
                : "the Dapr sidecar has not subscribed to " + which
                        + ": it reads the app's subscriptions when it starts; restart the pod to add a new topic";
    }

    /**
     * One message the sidecar delivered on {@code topic}: its raw payload, which Sluice published as a structured
     * CloudEvent.
     *
     * @return the answer for the sidecar; never fails
     */
    CompletableFuture<TopicEventResponseStatus> receive(String pubsubName, String topicName, byte[] payload) {
        DaprTopic topic = new DaprTopic(pubsubName, topicName);
        CompletableFuture<TopicEventResponseStatus> answer;
        CloudEvent event = null;
        try {
            event = DaprBus.FORMAT.deserialize(payload);
        } catch (RuntimeException e) {
            LOG.errorf("Dropped a message of %d bytes on %s: not a structured CloudEvent (%s)", payload.length, topic,
                    e.getMessage());
        }
        List<DaprBusSubscription> subscribed = subscribers.getOrDefault(topic, List.of());
        if (event == null) {
            answer = CompletableFuture.completedFuture(TopicEventResponseStatus.DROP);
        } else if (subscribed.isEmpty()) {
            answer = CompletableFuture.completedFuture(unsubscribed(topic, event));
        } else {
            answer = deliveries.deliver(topic.toString(), event, subscribed, topicName);
        }
        return answer.whenComplete((status, error) -> registry.counter("sluice.bus.dapr.answered", "pubsub",
                pubsubName, "status", status == null ? "error" : status.name().toLowerCase(Locale.ROOT)).increment());
    }

    /**
     * An event of a topic that no subscription here wants any more: consumed, unless its last subscription left
     * so recently that a Trigger is probably restarting with a new generation.
     */
    private TopicEventResponseStatus unsubscribed(DaprTopic topic, CloudEvent event) {
        Long left = lastLeft.get(topic);
        if (left != null && System.nanoTime() - left < config.unsubscribedGrace().toNanos()) {
            LOG.debugf("Event %s on %s arrived while its subscriptions restart: RETRY", event.getId(), topic);
            return TopicEventResponseStatus.RETRY;
        }
        LOG.debugf("Event %s on %s has no subscription in this app any more: consumed", event.getId(), topic);
        return TopicEventResponseStatus.SUCCESS;
    }
}
