package dev.sluice.bus.dapr;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Dapr bus binding, under {@code sluice.dapr}: how the sidecar delivers; the sidecar's own address comes from
 * Dapr's environment. */
@ConfigMapping(prefix = "sluice.dapr")
public interface DaprConfig {
    /**
     * How the sidecar delivers to the trigger: {@code callback}, it calls the app's gRPC callback and reads the
     * app's topics when it starts; or {@code streaming}, the app opens a stream per topic whenever a Trigger
     * needs one (Dapr's streaming subscriptions, an alpha API of Dapr 1.14 and later).
     */
    @WithDefault("callback")
    Subscriptions subscriptions();

    enum Subscriptions {
        CALLBACK,
        STREAMING
    }

    /** Port of the app callback (gRPC) that the sidecar calls: the Deployment's {@code dapr.io/app-port}. 0 picks a free one. */
    @WithDefault("50051")
    int appPort();

    /**
     * How long a delivery is held for its outcome before the callback answers RETRY while a retry is pending;
     * the redelivery then waits for the same outcome instead of delivering again.
     */
    @WithDefault("30s")
    Duration outcomeWait();

    /** How long an event's outcome is remembered, so that a redelivery of it is answered without delivering twice. */
    @WithDefault("10m")
    Duration redeliveryMemory();

    /**
     * How long after the last subscriber of a topic left its events are answered RETRY rather than SUCCESS, so
     * that events arriving while a Trigger restarts on a new generation are not lost.
     */
    @WithDefault("30s")
    Duration unsubscribedGrace();

    /** How long the sidecar's subscription request waits for the first reconcile of every resource. */
    @WithDefault("60s")
    Duration subscriptionsWait();

    BulkSubscribe bulkSubscribe();

    interface BulkSubscribe {
        /** Ask the sidecar for batches (Dapr's bulk subscribe); each entry is still answered on its own. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("100")
        int maxMessages();

        /** How long the sidecar waits to fill a batch. */
        @WithDefault("100ms")
        Duration maxAwait();
    }
}
