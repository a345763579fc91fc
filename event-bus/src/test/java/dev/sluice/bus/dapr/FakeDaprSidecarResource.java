package dev.sluice.bus.dapr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs a {@link FakeDaprSidecar} beside a Quarkus test: the app finds it through Dapr's own setting
 * ({@code dapr.grpc-port}, as {@code DAPR_GRPC_PORT} would give it), and the sidecar connects to the app's
 * callback on a free port as soon as it listens. Init arguments: {@code components}, the pub/sub components it
 * has, comma-separated (default {@code pubsub}); {@code appCallback=false} for an app that only streams, which
 * the sidecar then does not call.
 */
public class FakeDaprSidecarResource implements QuarkusTestResourceLifecycleManager {
    private static volatile FakeDaprSidecar sidecar;
    private String[] components = { "pubsub" };
    private boolean appCallback = true;

    /** The sidecar of the running test. */
    public static FakeDaprSidecar sidecar() {
        return sidecar;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey("components")) {
            components = initArgs.get("components").split(",");
        }
        appCallback = !"false".equals(initArgs.get("appCallback"));
    }

    @Override
    public Map<String, String> start() {
        sidecar = new FakeDaprSidecar(components);
        Map<String, String> config = new HashMap<>();
        config.put("dapr.grpc-port", String.valueOf(sidecar.grpcPort()));
        // as with dapr.io/app-token-secret: the app gets APP_API_TOKEN, the sidecar sends it on every call
        String token = UUID.randomUUID().toString();
        sidecar.appApiToken(token);
        config.put("app.api-token", token);
        if (appCallback) {
            int appPort = freePort();
            sidecar.connect(appPort);
            config.put("sluice.dapr.app-port", String.valueOf(appPort));
        }
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
