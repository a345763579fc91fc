package dev.sluice.bus.dapr;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.cloudevents.CloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.dapr.client.DaprClient;
import io.dapr.client.domain.DaprMetadata;
import io.dapr.client.domain.PublishEventRequest;

/**
 * The Dapr bus: publishes through the sidecar to a pub/sub component, and subscribes through the app callback
 * that the sidecar calls, or through streams the app opens. Each event travels as a structured CloudEvent ({@code application/cloudevents+json})
 * with {@code rawPayload}, so the sidecar neither wraps it again nor adds its own attributes: what the trigger
 * reads is what the event source published.
 */
public class DaprBus implements Bus {
    private static final Logger LOG = Logger.getLogger(DaprBus.class);
    /** The content type of a structured CloudEvent in JSON. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    /** Dapr's metadata key that passes a payload through untouched, on publish and on subscribe. */
    public static final String RAW_PAYLOAD = "rawPayload";
    /** Dapr's metadata key for the message key of components that have one (Kafka, Pulsar, Event Hubs). */
    static final String PARTITION_KEY = "partitionKey";
    static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(CONTENT_TYPE);

    private final String pubsubName;
    private final Map<String, String> metadata;
    private final DaprClient client;
    private final DaprSubscriptions registry;
    private final Duration publishTimeout;
    private final List<BusSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean componentMissingLogged;

    /**
     * @param metadata the EventBus's {@code spec.dapr.metadata}, sent with every publish and subscription
     * @param publishTimeout how long a publish may wait for the sidecar; later, the call is cancelled
     */
    DaprBus(String pubsubName, Map<String, String> metadata, DaprClient client, DaprSubscriptions registry,
            Duration publishTimeout) {
        this.pubsubName = pubsubName;
        this.metadata = Map.copyOf(metadata);
        this.client = client;
        this.registry = registry;
        this.publishTimeout = publishTimeout;
    }

    @Override
    public CompletionStage<Void> publish(String topic, CloudEvent event) {
        Map<String, String> publishMetadata = new HashMap<>(metadata);
        publishMetadata.put(RAW_PAYLOAD, "true");
        String key = CloudEvents.key(event);
        if (key != null) {
            // the component's message key keeps the events of one key in order, as the Kafka binding does
            publishMetadata.put(PARTITION_KEY, key);
        }
        try {
            PublishEventRequest request = new PublishEventRequest(pubsubName, topic, FORMAT.serialize(event))
                    .setContentType(CONTENT_TYPE).setMetadata(publishMetadata);
            // the sidecar answers once the component has acknowledged the message
            // a sidecar that never answers must not hold the call (and its event) forever
            return client.publishEvent(request).timeout(publishTimeout).toFuture().thenApply(ok -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Nothing to do: the Dapr component owns its topics and creates them as its broker does. */
    @Override
    public CompletionStage<Void> ensureTopics(Collection<String> topics) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public BusSubscription subscribe(String group, Collection<String> topics, BusEventHandler handler) {
        DaprBusSubscription subscription = registry.subscribe(pubsubName, metadata, group, topics, handler,
                subscriptions::remove);
        subscriptions.add(subscription);
        return subscription;
    }

    /** True when the sidecar answers a metadata request and has the pub/sub component loaded. */
    @Override
    public boolean isReachable(Duration timeout) {
        DaprMetadata sidecar;
        try {
            sidecar = client.getMetadata().toFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
        boolean loaded = sidecar.getComponents() != null
                && sidecar.getComponents().stream().anyMatch(c -> pubsubName.equals(c.getName()));
        if (!loaded && !componentMissingLogged) {
            componentMissingLogged = true;
            LOG.warnf("The Dapr sidecar of app %s has no component named %s; apply a pub/sub Component of that name",
                    sidecar.getId(), pubsubName);
        }
        return loaded;
    }

    @Override
    public void close() {
        List.copyOf(subscriptions).forEach(BusSubscription::close);
        try {
            client.close();
        } catch (Exception e) {
            LOG.debugf("Closing the Dapr client of %s: %s", pubsubName, e.getMessage());
        }
    }
}
