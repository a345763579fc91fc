package dev.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The settings both services share, under the prefix {@code sluice}: where resources come from and where state is
 * kept. Each service, binding and the embedded broker has its own mapping beside its code. Each setting can also be
 * set as an environment variable ({@code SLUICE_RESOURCES_DIR}).
 */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    Resources resources();

    /** Folder for state kept on disk, such as the embedded broker's log. */
    Data data();

    Kubernetes kubernetes();

    /**
     * Also accept {@code events.openfunction.io/v1alpha1} EventSource, EventBus, ClusterEventBus and Trigger, wherever
     * resources come from: watched in a cluster, read from the folder in local mode. When unset, the older
     * {@code sluice.kubernetes.openfunction} decides.
     */
    @WithName("openfunction")
    Optional<Boolean> openFunctionSetting();

    /** Whether OpenFunction's API group is accepted: {@code sluice.openfunction}, else {@code sluice.kubernetes.openfunction}. */
    default boolean acceptsOpenFunction() {
        return openFunctionSetting().orElse(kubernetes().openfunction());
    }

    /**
     * This replica's stable identity, for Kafka static group membership: a replica that restarts under the same
     * identity takes its partitions back at once instead of after the session timeout. Unset: the pod name
     * ({@code HOSTNAME}) with Kubernetes resources, an id kept in the data folder in local mode. Two replicas
     * must never share one.
     */
    Optional<String> instanceId();

    interface Resources {
        /** Where resources come from: a folder ({@code dir}) or the Kubernetes API. */
        @WithDefault("folder")
        Source source();

        /** Folder of resource YAML for local mode; every *.yaml and *.yml below it is loaded and reloaded on change. */
        Optional<String> dir();

        /**
         * Namespace of the Secrets that a ClusterEventBus names (it has no namespace of its own); locally, of the
         * {@code kind: Secret} files with that namespace.
         */
        @WithDefault("sluice-system")
        String clusterSecretsNamespace();

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

        /** The older name of {@code sluice.openfunction}, kept working; {@code sluice.openfunction} wins when both are set. */
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

}
