package dev.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every Sluice setting, under the prefix {@code sluice}; each can also be set as an environment variable ({@code SLUICE_RESOURCES_DIR}). */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    Resources resources();

    /** Folder for state kept on disk, such as the embedded broker's log. */
    Data data();

    EmbeddedKafka embeddedKafka();

    Http http();

    Bus bus();

    Kubernetes kubernetes();

    /** The Kafka and MQTT sources. */
    Sources sources();

    Health health();

    /** The Dapr bus binding: how the sidecar delivers; the sidecar's own address comes from Dapr's environment. */
    Dapr dapr();

    interface Resources {
        /** Where resources come from: a folder ({@code dir}) or the Kubernetes API. */
        @WithDefault("folder")
        Source source();

        /** Folder of resource YAML for local mode; every *.yaml and *.yml below it is loaded and reloaded on change. */
        Optional<String> dir();

        /** How often the folder is checked for changes. */
        @WithDefault("1s")
        Duration reloadInterval();
    }

    enum Source {
        /** {@code sluice.resources.dir}, reloaded on change; status goes to the log and {@code GET /resources}. */
        FOLDER,
        /** Informers on the custom resources; status goes to their status subresource. */
        KUBERNETES
    }

    interface Kubernetes {
        /** Namespaces whose resources are watched; all namespaces when absent. ClusterEventBus is always watched. */
        Optional<List<String>> namespaces();

        /** Also watch {@code events.openfunction.io/v1alpha1} EventSource, EventBus, ClusterEventBus and Trigger. */
        @WithDefault("false")
        boolean openfunction();

        /** How often informers replay their cache; a replay of an unchanged generation does nothing. */
        @WithDefault("10m")
        Duration resync();
    }

    interface Data {
        @WithDefault("data")
        String dir();
    }

    interface EmbeddedKafka {
        /** Start a single-node KRaft broker in this JVM; the local mode's {@code default} bus. */
        @WithDefault("false")
        boolean enabled();

        /** Port of its PLAINTEXT listener; 0 picks a free one. */
        @WithDefault("9092")
        int port();

        /** Partitions of the topics it auto-creates. */
        @WithDefault("1")
        int partitions();
    }

    interface Http {
        /** Largest body the HTTP source accepts; larger ones get 413. */
        @WithDefault("1048576")
        int maxBodyBytes();
    }

    interface Bus {
        /** How long a publish may wait for the bus's acknowledgement before the HTTP source answers 503. */
        @WithDefault("10s")
        Duration publishTimeout();
    }

    interface Dapr {
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

    interface Sources {
        /**
         * Largest message a Kafka event (without its own maxMessageBytes) or an MQTT event accepts; a larger one
         * is refused, counted and acknowledged, so it never blocks the messages behind it.
         */
        @WithDefault("1048576")
        int maxMessageBytes();

        /** Wait before publishing a message again after the bus failed it; doubled on each failure. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Cap of that wait: a message is retried at least this often until the bus takes it. */
        @WithDefault("10s")
        Duration retryMaxBackoff();

        /**
         * A name unique to this replica and stable across its restarts (a StatefulSet pod name), appended to MQTT
         * client ids so that replicas can share a subscription without taking over each other's session.
         */
        Optional<String> instanceId();
    }

    interface Health {
        /**
         * How often readiness asks each bus in use whether it answers. Probes run in the background, so a
         * readiness request never waits on a broker.
         */
        @WithDefault("2s")
        Duration busProbeInterval();

        /** How long one probe waits for the bus before it counts as unreachable. */
        @WithDefault("2s")
        Duration busProbeTimeout();
    }
}
