package dev.sluice.bus.dapr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import io.dapr.v1.AppCallbackAlphaGrpc;
import io.dapr.v1.AppCallbackGrpc;
import io.dapr.v1.DaprAppCallbackProtos.BulkSubscribeConfigOrBuilder;
import io.dapr.v1.DaprAppCallbackProtos.ListTopicSubscriptionsResponse;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkRequest;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkRequestEntry;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkResponse;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkResponseEntry;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventRequest;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;
import io.dapr.v1.DaprAppCallbackProtos.TopicSubscription;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprMetadataProtos.GetMetadataRequest;
import io.dapr.v1.DaprMetadataProtos.GetMetadataResponse;
import io.dapr.v1.DaprMetadataProtos.RegisteredComponents;
import io.dapr.v1.DaprPubsubProtos.PublishEventRequest;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsRequestAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsRequestInitialAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsResponseAlpha1;
import io.dapr.v1.DaprPubsubProtos.SubscribeTopicEventsResponseInitialAlpha1;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * Stands in for a Dapr sidecar on its published gRPC contract, since no sidecar binary can run here. Apps publish
 * to it through the Dapr SDK ({@code io.dapr.v1.Dapr}); it keeps every message on an in-memory broker, one log per
 * topic, and delivers them to the app's callback ({@code io.dapr.v1.AppCallback}) the way daprd does: it asks the
 * app for its subscriptions once, when it connects (and again on {@link #restart()}), then delivers each topic in
 * order, one message (or one bulk batch) at a time, with the request shape daprd uses for {@code rawPayload}
 * subscriptions; SUCCESS settles a message, RETRY or a gRPC error redelivers it after a delay, DROP (or
 * UNIMPLEMENTED) drops it. It also serves streaming subscriptions ({@code SubscribeTopicEventsAlpha1}), delivering
 * down the app's stream and waiting for each EventProcessed answer. Publishing can be made to fail or to answer
 * late.
 */
public final class FakeDaprSidecar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeDaprSidecar.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_DEADLINE = Duration.ofMinutes(2);

    /** One PublishEvent call as the app made it. */
    public record Published(String pubsubName, String topic, byte[] data, String contentType,
            Map<String, String> metadata) {

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One message on the broker, and every answer the app gave when it was delivered. */
    public static final class Message {
        private final String pubsubName;
        private final String topic;
        private final byte[] payload;
        private final String contentType;
        private final List<TopicEventResponseStatus> answers = new CopyOnWriteArrayList<>();
        private volatile boolean settled;

        Message(String pubsubName, String topic, byte[] payload, String contentType) {
            this.pubsubName = pubsubName;
            this.topic = topic;
            this.payload = payload;
            this.contentType = contentType;
        }

        public String topic() {
            return topic;
        }

        /** The bytes on the broker: what a raw subscription delivers. */
        public byte[] payload() {
            return payload.clone();
        }

        /** The {@code id} of the CloudEvent this message carries, or empty for one that is not JSON. */
        public Optional<String> cloudEventId() {
            try {
                return Optional.ofNullable(JSON.readTree(payload).path("id").textValue());
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The answers in order; a gRPC error shows as RETRY, as daprd treats it. */
        public List<TopicEventResponseStatus> answers() {
            return List.copyOf(answers);
        }

        /** True once SUCCESS or DROP ended its delivery. */
        public boolean isSettled() {
            return settled;
        }

        @Override
        public String toString() {
            return topic + ":" + cloudEventId().orElse("<not a CloudEvent>") + answers;
        }
    }

    private final Set<String> components;
    private final Server server;
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final Map<String, List<Message>> broker = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService publishTimer = Executors.newSingleThreadScheduledExecutor();
    private final List<TopicDelivery> deliveries = new CopyOnWriteArrayList<>();
    /** Where each topic's delivery stands: it survives a restart, as a component's committed offsets do. */
    private final Map<String, Integer> positions = new ConcurrentHashMap<>();
    /** The streams the app has open, by pubsub/topic. */
    private final Map<String, AppStream> streams = new ConcurrentHashMap<>();
    private volatile Status publishFailure;
    private volatile Duration publishDelay = Duration.ZERO;
    private volatile Duration redeliveryDelay = Duration.ofMillis(50);
    private volatile ManagedChannel app;
    private volatile List<TopicSubscription> subscriptions = List.of();
    private volatile int appPort = -1;
    private volatile String appApiToken;

    /**
     * Starts the sidecar's gRPC API on a free loopback port.
     *
     * @param components the pub/sub components it has loaded, by name
     */
    public FakeDaprSidecar(String... components) {
        this.components = Set.of(components);
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Api()).build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends this token as {@code dapr-api-token} on every call to the app, as daprd does with an app token secret. */
    public void appApiToken(String token) {
        this.appApiToken = token;
    }

    /** The port to give the app as {@code DAPR_GRPC_PORT}. */
    public int grpcPort() {
        return server.getPort();
    }

    /**
     * Connects to the app's callback once it listens, asks for its subscriptions and starts delivering, as daprd
     * does when it starts. Returns at once; {@link #isConnected()} tells when it is done.
     */
    public void connect(int appPort) {
        this.appPort = appPort;
        Thread starter = new Thread(this::start, "fake-daprd-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** True once the app answered the subscription request. */
    public boolean isConnected() {
        return app != null;
    }

    /** Stops delivering, then asks the app for its subscriptions again and resumes each topic where it stood. */
    public synchronized void restart() {
        List.copyOf(streams.values()).forEach(stream -> stream.end(false));
        stopDeliveries();
        ManagedChannel previous = app;
        app = null;
        if (previous != null) {
            previous.shutdownNow();
        }
        if (appPort > 0) {
            connect(appPort);
        }
    }

    private synchronized void start() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", appPort).usePlaintext();
        if (appApiToken != null) {
            Metadata token = new Metadata();
            token.put(Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER), appApiToken);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(token));
        }
        ManagedChannel channel = builder.build();
        ListTopicSubscriptionsResponse response = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (response == null && System.nanoTime() < deadline) {
            try {
                // daprd waits for the app port and asks once it answers; the app may hold the answer back
                response = AppCallbackGrpc.newBlockingStub(channel).withWaitForReady()
                        .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .listTopicSubscriptions(Empty.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                LOG.debugf("App callback on port %d not ready: %s", appPort, e.getStatus());
            }
        }
        if (response == null) {
            problems.add("the app never answered ListTopicSubscriptions on port " + appPort);
            channel.shutdownNow();
            return;
        }
        subscriptions = List.copyOf(response.getSubscriptionsList());
        for (TopicSubscription subscription : subscriptions) {
            if (!"true".equals(subscription.getMetadataMap().get("rawPayload"))) {
                problems.add("subscription to " + subscription.getTopic() + " without rawPayload: this stand-in"
                        + " delivers raw payloads only");
                continue;
            }
            BulkSubscribeConfigOrBuilder bulk = subscription.getBulkSubscribe();
            startDelivery(new TopicDelivery(subscription.getPubsubName(), subscription.getTopic(),
                    bulk.getEnabled() ? Math.max(1, bulk.getMaxMessagesCount()) : 0, channel,
                    request -> AppCallbackGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).onTopicEvent(request)
                            .getStatus()));
        }
        app = channel;
        LOG.infof("Fake daprd connected to the app on port %d: %d subscriptions", appPort, subscriptions.size());
    }

    /** The subscriptions the app gave in its last answer. */
    public List<TopicSubscription> subscriptions() {
        return subscriptions;
    }

    /** The topics ({@code pubsub/topic}) the app streams now. */
    public Set<String> openStreams() {
        return Set.copyOf(streams.keySet());
    }

    /** Every publish, in the order they arrived. */
    public List<Published> published() {
        return List.copyOf(published);
    }

    /** Every message on a topic, in order. */
    public List<Message> messages(String pubsubName, String topic) {
        return List.copyOf(broker.getOrDefault(pubsubName + "/" + topic, List.of()));
    }

    /** The message of a topic that carries the CloudEvent with this id. */
    public Optional<Message> message(String pubsubName, String topic, String cloudEventId) {
        return messages(pubsubName, topic).stream().filter(m -> m.cloudEventId().filter(cloudEventId::equals).isPresent())
                .findFirst();
    }

    /** Puts a message on the broker as another producer would, without going through the publish API. */
    public void putOnBroker(String pubsubName, String topic, byte[] payload, String contentType) {
        append(new Message(pubsubName, topic, payload, contentType));
    }

    /** Every publish fails with this status from now on; null to publish again. */
    public void failPublishes(Status failure) {
        this.publishFailure = failure;
    }

    /** Every publish is acknowledged only after this delay. */
    public void delayPublishes(Duration delay) {
        this.publishDelay = delay;
    }

    public void redeliverAfter(Duration delay) {
        this.redeliveryDelay = delay;
    }

    /** What went wrong on the sidecar's side (a subscription it cannot serve, an app that never answered). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void append(Message message) {
        broker.computeIfAbsent(message.pubsubName + "/" + message.topic, k -> new CopyOnWriteArrayList<>()).add(message);
    }

    /** The bytes a publish puts on the broker, as daprd makes them. */
    private byte[] onBroker(PublishEventRequest request) throws IOException {
        byte[] data = request.getData().toByteArray();
        if ("true".equals(request.getMetadataMap().get("rawPayload"))) {
            return data;
        }
        Map<String, Object> event;
        if (request.getDataContentType().startsWith("application/cloudevents+json")) {
            // daprd keeps the sender's CloudEvent and stamps its own attributes on it
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(data, LinkedHashMap.class);
            event = parsed;
            event.putIfAbsent("source", "Dapr");
            event.putIfAbsent("type", "com.dapr.event.sent");
            event.putIfAbsent("specversion", "1.0");
        } else {
            // daprd wraps anything else in a CloudEvent of its own
            event = new LinkedHashMap<>();
            String contentType = request.getDataContentType().isEmpty() ? "text/plain" : request.getDataContentType();
            event.put("id", UUID.randomUUID().toString());
            event.put("specversion", "1.0");
            event.put("datacontenttype", contentType);
            event.put("source", "Dapr");
            event.put("type", "com.dapr.event.sent");
            if (contentType.contains("json")) {
                event.put("data", JSON.readTree(data));
            } else if (contentType.startsWith("text/")) {
                event.put("data", new String(data, StandardCharsets.UTF_8));
            } else {
                event.put("data_base64", Base64.getEncoder().encodeToString(data));
            }
        }
        event.put("traceid", "");
        event.put("traceparent", "");
        event.put("tracestate", "");
        event.put("topic", request.getTopic());
        event.put("pubsubname", request.getPubsubName());
        return JSON.writeValueAsBytes(event);
    }

    private final class Api extends DaprGrpc.DaprImplBase {

        @Override
        public void publishEvent(PublishEventRequest request, StreamObserver<Empty> observer) {
            published.add(new Published(request.getPubsubName(), request.getTopic(), request.getData().toByteArray(),
                    request.getDataContentType(), Map.copyOf(request.getMetadataMap())));
            Status failure = publishFailure;
            if (failure != null) {
                observer.onError(failure.asRuntimeException());
                return;
            }
            if (!components.contains(request.getPubsubName())) {
                observer.onError(Status.INVALID_ARGUMENT
                        .withDescription("pubsub " + request.getPubsubName() + " is not found").asRuntimeException());
                return;
            }
            try {
                append(new Message(request.getPubsubName(), request.getTopic(), onBroker(request),
                        request.getDataContentType()));
            } catch (IOException e) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            publishTimer.schedule(() -> {
                observer.onNext(Empty.getDefaultInstance());
                observer.onCompleted();
            }, publishDelay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public StreamObserver<SubscribeTopicEventsRequestAlpha1> subscribeTopicEventsAlpha1(
                StreamObserver<SubscribeTopicEventsResponseAlpha1> out) {
            return new AppStream(out);
        }

        @Override
        public void getMetadata(GetMetadataRequest request, StreamObserver<GetMetadataResponse> observer) {
            GetMetadataResponse.Builder response = GetMetadataResponse.newBuilder().setId("sluice-test")
                    .setRuntimeVersion("fake");
            components.forEach(name -> response.addRegisteredComponents(RegisteredComponents.newBuilder().setName(name)
                    .setType("pubsub.in-memory").setVersion("v1")));
            observer.onNext(response.build());
            observer.onCompleted();
        }
    }

    /**
     * A streaming subscription the app opened: after its initial request, the topic is delivered down the stream,
     * each event waiting for the app's EventProcessed answer, as daprd does.
     */
    private final class AppStream implements StreamObserver<SubscribeTopicEventsRequestAlpha1> {
        private final StreamObserver<SubscribeTopicEventsResponseAlpha1> out;
        private final Map<String, java.util.concurrent.CompletableFuture<TopicEventResponseStatus>> waiting =
                new ConcurrentHashMap<>();
        private volatile TopicDelivery delivery;
        private volatile String key;

        AppStream(StreamObserver<SubscribeTopicEventsResponseAlpha1> out) {
            this.out = out;
        }

        @Override
        public void onNext(SubscribeTopicEventsRequestAlpha1 request) {
            if (request.hasEventProcessed()) {
                var answer = waiting.remove(request.getEventProcessed().getId());
                if (answer != null) {
                    answer.complete(request.getEventProcessed().getStatus().getStatus());
                }
                return;
            }
            SubscribeTopicEventsRequestInitialAlpha1 initial = request.getInitialRequest();
            if (!"true".equals(initial.getMetadataMap().get("rawPayload"))) {
                problems.add("stream of " + initial.getTopic() + " without rawPayload: this stand-in delivers raw"
                        + " payloads only");
                out.onError(Status.INVALID_ARGUMENT.withDescription("rawPayload only").asRuntimeException());
                return;
            }
            key = initial.getPubsubName() + "/" + initial.getTopic();
            synchronized (out) {
                out.onNext(SubscribeTopicEventsResponseAlpha1.newBuilder()
                        .setInitialResponse(SubscribeTopicEventsResponseInitialAlpha1.getDefaultInstance()).build());
            }
            streams.put(key, this);
            delivery = new TopicDelivery(initial.getPubsubName(), initial.getTopic(), 0, null, this::deliver);
            startDelivery(delivery);
        }

        private TopicEventResponseStatus deliver(TopicEventRequest event) {
            var answer = new java.util.concurrent.CompletableFuture<TopicEventResponseStatus>();
            waiting.put(event.getId(), answer);
            synchronized (out) {
                out.onNext(SubscribeTopicEventsResponseAlpha1.newBuilder().setEventMessage(event).build());
            }
            try {
                return answer.get(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.asRuntimeException();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw Status.DEADLINE_EXCEEDED.asRuntimeException();
            }
        }

        /** The app or a restart ended the stream: what it was not answered for is delivered again later. */
        void end(boolean byApp) {
            if (key != null) {
                streams.remove(key, this);
            }
            waiting.values().forEach(w -> w.completeExceptionally(new IllegalStateException("stream ended")));
            TopicDelivery current = delivery;
            if (current != null) {
                deliveries.remove(current);
                current.stop();
            }
            synchronized (out) {
                if (byApp) {
                    out.onCompleted();
                } else {
                    out.onError(Status.UNAVAILABLE.withDescription("sidecar restarting").asRuntimeException());
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            end(true);
        }

        @Override
        public void onCompleted() {
            end(true);
        }
    }

    /**
     * Delivers one subscribed topic in order, as a component's consumer does: one message or batch at a time, to
     * the app callback or down a stream.
     */
    private final class TopicDelivery {
        private final String pubsubName;
        private final String topic;
        private final String key;
        /** Entries per bulk request; 0 to deliver one message at a time. */
        private final int batch;
        private final ManagedChannel channel;
        /** Delivers one request and gives the app's answer; throws StatusRuntimeException when the call fails. */
        private final Function<TopicEventRequest, TopicEventResponseStatus> single;
        private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        private volatile boolean stopped;

        TopicDelivery(String pubsubName, String topic, int batch, ManagedChannel channel,
                Function<TopicEventRequest, TopicEventResponseStatus> single) {
            this.pubsubName = pubsubName;
            this.topic = topic;
            this.key = pubsubName + "/" + topic;
            this.batch = batch;
            this.channel = channel;
            this.single = single;
        }

        void schedule(Duration delay) {
            if (!stopped) {
                loop.schedule(this::deliverNext, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void deliverNext() {
            if (stopped) {
                return;
            }
            List<Message> log = broker.getOrDefault(key, List.of());
            int position = positions.getOrDefault(key, 0);
            while (position < log.size() && log.get(position).isSettled()) {
                position++;
            }
            positions.put(key, position);
            if (position >= log.size()) {
                schedule(Duration.ofMillis(10));
                return;
            }
            boolean allSettled;
            try {
                allSettled = batch == 0 ? deliverOne(log.get(position))
                        : deliverBatch(log.stream().skip(position).limit(batch).toList());
            } catch (RuntimeException e) {
                LOG.warnf(e, "Fake daprd could not deliver on %s", key);
                allSettled = false;
            }
            schedule(allSettled ? Duration.ZERO : redeliveryDelay);
        }

        private boolean deliverOne(Message message) {
            TopicEventRequest request = TopicEventRequest.newBuilder().setId(UUID.randomUUID().toString())
                    .setSource("Dapr").setType("com.dapr.event.sent").setSpecVersion("1.0")
                    .setDataContentType("application/octet-stream").setData(ByteString.copyFrom(message.payload))
                    .setTopic(topic).setPubsubName(pubsubName).setPath("")
                    .setExtensions(Struct.newBuilder()
                            .putFields("topic", Value.newBuilder().setStringValue(topic).build())
                            .putFields("pubsubname", Value.newBuilder().setStringValue(pubsubName).build()))
                    .build();
            TopicEventResponseStatus status;
            try {
                status = single.apply(request);
            } catch (StatusRuntimeException e) {
                status = e.getStatus().getCode() == Status.Code.UNIMPLEMENTED ? TopicEventResponseStatus.DROP
                        : TopicEventResponseStatus.RETRY;
            }
            return settle(message, status);
        }

        private boolean deliverBatch(List<Message> messages) {
            Map<String, Message> byEntry = new LinkedHashMap<>();
            TopicEventBulkRequest.Builder request = TopicEventBulkRequest.newBuilder().setId(UUID.randomUUID().toString())
                    .setTopic(topic).setPubsubName(pubsubName)
                    .setType("com.dapr.event.sent.bulk").setPath("");
            for (Message message : messages) {
                if (message.isSettled()) {
                    continue;
                }
                String entryId = UUID.randomUUID().toString();
                byEntry.put(entryId, message);
                request.addEntries(TopicEventBulkRequestEntry.newBuilder().setEntryId(entryId)
                        .setBytes(ByteString.copyFrom(message.payload)).setContentType(message.contentType));
            }
            TopicEventBulkResponse response;
            try {
                response = AppCallbackGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .onBulkTopicEvent(request.build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                    byEntry.values().forEach(m -> settle(m, TopicEventResponseStatus.RETRY));
                    return false;
                }
                // daprd falls back to the alpha API for apps that lack the stable one
                response = AppCallbackAlphaGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .onBulkTopicEventAlpha1(request.build());
            }
            for (TopicEventBulkResponseEntry entry : response.getStatusesList()) {
                Message message = byEntry.remove(entry.getEntryId());
                if (message != null) {
                    settle(message, entry.getStatus());
                }
            }
            // an entry without an answer is retried, as daprd does
            byEntry.values().forEach(m -> settle(m, TopicEventResponseStatus.RETRY));
            return messages.stream().allMatch(Message::isSettled);
        }

        private boolean settle(Message message, TopicEventResponseStatus status) {
            message.answers.add(status);
            message.settled = status != TopicEventResponseStatus.RETRY;
            return message.settled;
        }

        void stop() {
            stopped = true;
            loop.shutdown();
            try {
                loop.awaitTermination(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startDelivery(TopicDelivery delivery) {
        deliveries.add(delivery);
        delivery.schedule(Duration.ZERO);
    }

    private void stopDeliveries() {
        List<TopicDelivery> running = new ArrayList<>(deliveries);
        deliveries.clear();
        running.forEach(TopicDelivery::stop);
    }

    @Override
    public void close() {
        stopDeliveries();
        ManagedChannel channel = app;
        if (channel != null) {
            channel.shutdownNow();
        }
        publishTimer.shutdownNow();
        server.shutdownNow();
    }
}
