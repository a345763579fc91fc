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
