package dev.sluice.bus.dapr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs a {@link FakeDaprSidecar} beside a Quarkus test: the app finds it through Dapr's own setting
 * ({@code dapr.grpc-port}, as {@code DAPR_GRPC_PORT} would give it), and the sidecar connects to the app's
 * callback on a free port as soon as it listens. Init argument {@code components}: the pub/sub components it
 * has, comma-separated (default {@code pubsub}).
 */
public class FakeDaprSidecarResource implements QuarkusTestResourceLifecycleManager {
    private static volatile FakeDaprSidecar sidecar;
    private String[] components = { "pubsub" };

    /** The sidecar of the running test. */
    public static FakeDaprSidecar sidecar() {
        return sidecar;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey("components")) {
            components = initArgs.get("components").split(",");
        }
    }

    @Override
    public Map<String, String> start() {
        sidecar = new FakeDaprSidecar(components);
        int appPort = freePort();
        sidecar.connect(appPort);
        Map<String, String> config = new HashMap<>();
        config.put("dapr.grpc-port", String.valueOf(sidecar.grpcPort()));
        config.put("sluice.dapr.app-port", String.valueOf(appPort));
        return config;
    }

    @Override
    public void stop() {
        if (sidecar != null) {
            sidecar.close();
            sidecar = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
