package dev.sluice.bus.dapr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.google.protobuf.Empty;

import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.resources.ResourceCatalog;
import io.dapr.v1.AppCallbackAlphaGrpc;
import io.dapr.v1.AppCallbackGrpc;
import io.dapr.v1.AppCallbackHealthCheckGrpc;
import io.dapr.v1.DaprAppCallbackProtos.BulkSubscribeConfig;
import io.dapr.v1.DaprAppCallbackProtos.HealthCheckResponse;
import io.dapr.v1.DaprAppCallbackProtos.ListInputBindingsResponse;
import io.dapr.v1.DaprAppCallbackProtos.ListTopicSubscriptionsResponse;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkRequest;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkRequestEntry;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkResponse;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventBulkResponseEntry;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventRequest;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse;
import io.dapr.v1.DaprAppCallbackProtos.TopicSubscription;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The app side of Dapr's subscription contract: the gRPC service that the sidecar calls
 * ({@code AppCallback}, {@code AppCallbackAlpha} for bulk, {@code AppCallbackHealthCheck}). It tells the sidecar
 * which topics the app subscribes to (with {@code rawPayload}, so each message arrives exactly as it was
 * published) and answers each delivery as {@link DaprSubscriptions} decides.
 *
 * <p>
 * The sidecar asks for the subscriptions once, when it starts: the answer waits for the first reconcile of every
 * resource so that it names every Trigger's topics. A topic subscribed later is delivered once the sidecar has
 * restarted; until then its subscription is not assigned, and the Trigger says so.
 */
@ApplicationScoped
public class DaprAppCallback {
    private static final Logger LOG = Logger.getLogger(DaprAppCallback.class);
    private static final long LOADED_POLL_MILLIS = 100;

    @Inject
    DaprConfig config;

    @Inject
    ResourceCatalog catalog;

    @Inject
    DaprSubscriptions subscriptions;

    @Inject
    DaprAppToken.Config appToken;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(

            DaemonThreads.named("sluice-dapr-callback"));
    private Server server;

    /** Starts listening for the sidecar, once; later calls do nothing. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        // loopback only: the sidecar calls the app from inside the pod, and nothing else should
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.appPort());
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(address).addService(new Callback())
                    .addService(new BulkCallback()).addService(new HealthCheck());
            appToken.apiToken().filter(token -> !token.isBlank()).map(DaprAppToken::new).ifPresent(builder::intercept);
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("the Dapr app callback cannot listen on " + address, e);
        }
        LOG.infof("Dapr app callback listening on %s:%d (%s)", address.getHostString(), server.getPort(),
                appToken.apiToken().filter(token -> !token.isBlank()).isPresent() ? "calls must carry the app API token"
                        : "no app API token set: calls are not checked");
    }

    /** The port the callback listens on, or -1 before it started. */
    public synchronized int port() {
        return server == null ? -1 : server.getPort();
    }

    /** What the sidecar subscribes to on behalf of this app: every topic that has a subscription now. */
    private ListTopicSubscriptionsResponse subscriptions() {
        DaprConfig.BulkSubscribe bulk = config.bulkSubscribe();
        ListTopicSubscriptionsResponse.Builder response = ListTopicSubscriptionsResponse.newBuilder();
        Map<DaprTopic, Map<String, String>> wanted = subscriptions.wanted();
        wanted.forEach((topic, busMetadata) -> {
            Map<String, String> metadata = new LinkedHashMap<>(busMetadata);
            metadata.put(DaprBus.RAW_PAYLOAD, "true");
            TopicSubscription.Builder subscription = TopicSubscription.newBuilder().setPubsubName(topic.pubsubName())
                    .setTopic(topic.topic()).putAllMetadata(metadata);
            if (bulk.enabled()) {
                subscription.setBulkSubscribe(BulkSubscribeConfig.newBuilder().setEnabled(true)
                        .setMaxMessagesCount(bulk.maxMessages())
                        .setMaxAwaitDurationMs((int) bulk.maxAwait().toMillis()));
            }
            response.addSubscriptions(subscription);
        });
        subscriptions.sidecarSubscribed(wanted.keySet());
        LOG.infof("Told the Dapr sidecar about %d topics: %s", wanted.size(), wanted.keySet());
        return response.build();
    }

    /** Answers once every resource had its first reconcile, or when waiting longer would hold the sidecar up. */
    private void answerSubscriptions(StreamObserver<ListTopicSubscriptionsResponse> observer) {
        long deadline = System.nanoTime() + config.subscriptionsWait().toNanos();
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (catalog.isLoaded() || System.nanoTime() > deadline) {
                    if (!catalog.isLoaded()) {
                        LOG.warnf("Answering the Dapr sidecar's subscription request before every resource was loaded");
                    }
                    observer.onNext(subscriptions());
                    observer.onCompleted();
                } else {
                    timer.schedule(this, LOADED_POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        };
        check.run();
    }

    private void bulk(TopicEventBulkRequest request, StreamObserver<TopicEventBulkResponse> observer) {
        List<CompletableFuture<TopicEventBulkResponseEntry>> entries = new ArrayList<>();
        for (TopicEventBulkRequestEntry entry : request.getEntriesList()) {
            byte[] payload;
            if (entry.getEventCase() == TopicEventBulkRequestEntry.EventCase.BYTES) {
                payload = entry.getBytes().toByteArray();
            } else {
                // a subscription without rawPayload (a declarative Subscription that Sluice did not make)
                LOG.errorf("Entry %s on %s/%s came without rawPayload; Sluice reads raw structured CloudEvents only",
                        entry.getEntryId(), request.getPubsubName(), request.getTopic());
                payload = new byte[0];
            }
            entries.add(subscriptions.receive(request.getPubsubName(), request.getTopic(), payload)
                    .thenApply(status -> TopicEventBulkResponseEntry.newBuilder().setEntryId(entry.getEntryId())
                            .setStatus(status).build()));
        }
        CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            TopicEventBulkResponse.Builder response = TopicEventBulkResponse.newBuilder();
            entries.forEach(entry -> response.addStatuses(entry.join()));
            observer.onNext(response.build());
            observer.onCompleted();
        });
    }

    private final class Callback extends AppCallbackGrpc.AppCallbackImplBase {

        @Override
        public void listTopicSubscriptions(Empty request, StreamObserver<ListTopicSubscriptionsResponse> observer) {
            answerSubscriptions(observer);
        }

        @Override
        public void onTopicEvent(TopicEventRequest request, StreamObserver<TopicEventResponse> observer) {
            subscriptions.receive(request.getPubsubName(), request.getTopic(), request.getData().toByteArray())
                    .whenComplete((status, error) -> {
                        observer.onNext(TopicEventResponse.newBuilder().setStatus(status).build());
                        observer.onCompleted();
                    });
        }

        @Override
        public void onBulkTopicEvent(TopicEventBulkRequest request, StreamObserver<TopicEventBulkResponse> observer) {
            bulk(request, observer);
        }

        @Override
        public void listInputBindings(Empty request, StreamObserver<ListInputBindingsResponse> observer) {
            observer.onNext(ListInputBindingsResponse.getDefaultInstance());
            observer.onCompleted();
        }
    }

    /** Sidecars older than the stable bulk API call the alpha one. */
    private final class BulkCallback extends AppCallbackAlphaGrpc.AppCallbackAlphaImplBase {

        @Override
        public void onBulkTopicEventAlpha1(TopicEventBulkRequest request,
                StreamObserver<TopicEventBulkResponse> observer) {
            bulk(request, observer);
        }
    }

    private static final class HealthCheck extends AppCallbackHealthCheckGrpc.AppCallbackHealthCheckImplBase {

        @Override
        public void healthCheck(Empty request, StreamObserver<HealthCheckResponse> observer) {
            observer.onNext(HealthCheckResponse.getDefaultInstance());
            observer.onCompleted();
        }
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.shutdown();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
    }
}
