package dev.sluice.bus.dapr;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the Dapr sidecar listens, read from Dapr's standard environment ({@code DAPR_GRPC_PORT},
 * {@code DAPR_HTTP_PORT}, {@code DAPR_SIDECAR_IP}, {@code DAPR_GRPC_ENDPOINT}, {@code DAPR_API_TOKEN}), which
 * the sidecar injector and {@code dapr run} set. The prefix is Dapr's, not Sluice's, on purpose.
 */
@ConfigMapping(prefix = "dapr")
public interface DaprSidecarConfig {

    /** The sidecar's gRPC port; neither it nor {@link #grpcEndpoint()} set means no sidecar runs beside us. */
    Optional<Integer> grpcPort();

    /** A full gRPC endpoint ({@code dns:///host:port}), which wins over the IP and port. */
    Optional<String> grpcEndpoint();

    /** The sidecar's HTTP port; only reported, since Sluice talks gRPC to the sidecar. */
    Optional<Integer> httpPort();

    @WithDefault("127.0.0.1")
    String sidecarIp();

    /** Sent with every call when the sidecar requires an API token. */
    Optional<String> apiToken();

    /** True when Dapr's environment names a sidecar. */
    default boolean isPresent() {
        return grpcPort().isPresent() || grpcEndpoint().isPresent();
    }
}
