package dev.sluice.bus.dapr;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventbus.DaprBusSpec;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusBinding;
import dev.sluice.bus.BusConfig;
import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import io.dapr.config.Properties;
import io.dapr.config.Property;
import io.smallrye.common.annotation.Identifier;

/** {@code spec.dapr}: a Dapr pub/sub component, reached through the sidecar that runs beside this service. */
@ApplicationScoped
@Identifier(DaprBusBinding.NAME)
public class DaprBusBinding implements BusBinding {
    static final String NAME = "dapr";

    @Inject
    DaprSidecarConfig sidecar;

    @Inject
    DaprAppCallback callback;

    @Inject
    DaprSubscriptions subscriptions;

    @Inject
    BusConfig config;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Bus open(EventBusSpec spec, String namespace) {
        DaprBusSpec dapr = spec.getDapr();
        if (dapr.getPubsubName() == null || dapr.getPubsubName().isBlank()) {
            throw new InvalidSpecException(Reasons.PUBSUB_NAME_MISSING, "spec.dapr.pubsubName",
                    "name the Dapr pub/sub component (its metadata.name)");
        }
        if (!sidecar.isPresent()) {
            throw new InvalidSpecException(Reasons.SIDECAR_UNAVAILABLE, "spec.dapr",
                    "no Dapr sidecar runs beside this service: DAPR_GRPC_PORT is not set; annotate its Deployment with"
                            + " dapr.io/enabled: \"true\" (see kubernetes/dapr/)");
        }
        try {
            if (!subscriptions.isStreaming()) {
                // the callback must listen before the sidecar looks for the app's subscriptions
                callback.start();
            }
        } catch (UncheckedIOException e) {
            throw new InvalidSpecException(Reasons.CALLBACK_UNAVAILABLE, "spec.dapr", e.getMessage()
                    + " (sluice.dapr.app-port, which must match dapr.io/app-port): " + e.getCause().getMessage());
        }
        return new DaprBus(dapr.getPubsubName(), dapr.getMetadata(), client(), subscriptions,
                config.publishTimeout());
    }

    /** A client for the sidecar that Dapr's environment names, through the SDK's own properties. */
    private DaprClient client() {
        Map<Property<?>, String> overrides = new HashMap<>();
        overrides.put(Properties.SIDECAR_IP, sidecar.sidecarIp());
        sidecar.grpcPort().ifPresent(port -> overrides.put(Properties.GRPC_PORT, port.toString()));
        sidecar.grpcEndpoint().ifPresent(endpoint -> overrides.put(Properties.GRPC_ENDPOINT, endpoint));
        sidecar.httpPort().ifPresent(port -> overrides.put(Properties.HTTP_PORT, port.toString()));
        sidecar.apiToken().ifPresent(token -> overrides.put(Properties.API_TOKEN, token));
        return new DaprClientBuilder().withPropertyOverrides(overrides).build();
    }
}
