package dev.sluice.bus.dapr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.dapr.v1.DaprAppCallbackProtos.TopicEventRequest;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsRequestAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsRequestInitialAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsRequestProcessedAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsResponseAlpha1;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import dev.sluice.concurrent.DaemonThreads;

/**
 * Dapr's streaming subscriptions ({@code sluice.dapr.subscriptions=streaming}): the app opens one stream per topic
 * to the sidecar ({@code SubscribeTopicEventsAlpha1}) when a Trigger first needs it and closes it when the last
 * one leaves, so a Trigger on a new topic is delivered at once, with no sidecar restart. The stream asks for
 * {@code rawPayload} like the app callback does, and answers each event as {@link DaprSubscriptions} decides. The
 * SDK's own streaming API is not used: its listener form takes no subscription metadata (so no raw payloads), and
 * both its forms turn events into the SDK's CloudEvent type, which has no extensions; so this speaks the SDK's
 * generated gRPC contract directly.
 */
@ApplicationScoped
public class DaprTopicStreams {
    private static final Logger LOG = Logger.getLogger(DaprTopicStreams.class);
    private static final long RECONNECT_MILLIS = 1000;
    private static final Metadata.Key<String> API_TOKEN = Metadata.Key.of("dapr-api-token",
            Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    DaprSidecarConfig sidecar;

    @Inject
    DaprSubscriptions subscriptions;

    private final Map<DaprTopic, TopicStream> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sluice-dapr-streams"));
    private ManagedChannel channel;

    /** Opens the stream of a topic, unless it is open. */
    void open(DaprTopic topic, Map<String, String> metadata) {
        open.computeIfAbsent(topic, t -> {
            TopicStream stream = new TopicStream(t, metadata);
            stream.connect();
            return stream;
        });
    }

    /** Closes the stream of a topic once the answers it owes are sent. */
    void close(DaprTopic topic) {
        TopicStream stream = open.remove(topic);
        if (stream != null) {
            stream.close();
        }
    }

    private synchronized ManagedChannel channel() {
        if (channel == null) {
            NettyChannelBuilder builder = sidecar.grpcEndpoint().isPresent()
                    ? NettyChannelBuilder.forTarget(sidecar.grpcEndpoint().get())
                    : NettyChannelBuilder.forAddress(sidecar.sidecarIp(), sidecar.grpcPort().orElse(50001));
            if (sidecar.apiToken().isPresent()) {
                Metadata headers = new Metadata();
                headers.put(API_TOKEN, sidecar.apiToken().get());
                builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            channel = builder.usePlaintext().build();
        }
        return channel;
    }

    /** One topic's stream: reconnects after a failure for as long as the topic is wanted. */
    private final class TopicStream implements StreamObserver<SubscribeTopicEventsResponseAlpha1> {
        private final DaprTopic topic;
        private final Map<String, String> metadata;
        private final AtomicInteger owed = new AtomicInteger();
        private StreamObserver<SubscribeTopicEventsRequestAlpha1> requests;
        private volatile boolean closing;

        TopicStream(DaprTopic topic, Map<String, String> metadata) {
            this.topic = topic;
            this.metadata = new LinkedHashMap<>(metadata);
            this.metadata.put(DaprBus.RAW_PAYLOAD, "true");
        }

        synchronized void connect() {
            if (closing) {
                return;
            }
            requests = DaprGrpc.newStub(channel()).subscribeTopicEventsAlpha1(this);
            requests.onNext(SubscribeTopicEventsRequestAlpha1.newBuilder()
                    .setInitialRequest(SubscribeTopicEventsRequestInitialAlpha1.newBuilder()
                            .setPubsubName(topic.pubsubName()).setTopic(topic.topic()).putAllMetadata(metadata))
                    .build());
        }

        @Override
        public void onNext(SubscribeTopicEventsResponseAlpha1 response) {
            if (response.hasInitialResponse()) {
                subscriptions.streamOpen(topic, true);
                LOG.infof("Streaming %s from the Dapr sidecar", topic);
                return;
            }
            if (!response.hasEventMessage()) {
                return;
            }
            TopicEventRequest event = response.getEventMessage();
            owed.incrementAndGet();
            subscriptions.receive(topic.pubsubName(), topic.topic(), event.getData().toByteArray())
                    .thenAccept(status -> answer(event.getId(), status));
        }

        private synchronized void answer(String id, TopicEventResponse.TopicEventResponseStatus status) {
            try {
                requests.onNext(SubscribeTopicEventsRequestAlpha1.newBuilder()
                        .setEventProcessed(SubscribeTopicEventsRequestProcessedAlpha1.newBuilder().setId(id)
                                .setStatus(TopicEventResponse.newBuilder().setStatus(status)))
                        .build());
            } catch (RuntimeException e) {
                // the stream broke: the sidecar redelivers what it was not told about
                LOG.debugf("Could not answer %s on the stream of %s: %s", id, topic, e.getMessage());
            }
            if (owed.decrementAndGet() == 0 && closing) {
                requests.onCompleted();
            }
        }

        @Override
        public void onError(Throwable error) {
            ended("failed: " + error.getMessage());
        }

        @Override
        public void onCompleted() {
            ended("ended by the sidecar");
        }

        private void ended(String why) {
            subscriptions.streamOpen(topic, false);
            if (!closing) {
                LOG.warnf("The Dapr stream of %s %s; reconnecting in %d ms", topic, why, RECONNECT_MILLIS);
                reconnects.schedule(this::connect, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        synchronized void close() {
            closing = true;
            subscriptions.streamOpen(topic, false);
            if (owed.get() == 0) {
                requests.onCompleted();
            }
            LOG.infof("Closed the Dapr stream of %s", topic);
        }
    }

    @PreDestroy
    void stop() {
        open.keySet().forEach(this::close);
        reconnects.shutdownNow();
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
