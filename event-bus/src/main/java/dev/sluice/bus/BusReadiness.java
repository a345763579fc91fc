package dev.sluice.bus;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.sluice.resources.ResourceCatalog;

/** Ready once the resources are loaded and every bus in use answers. Liveness does not depend on the bus. */
@Readiness
@ApplicationScoped
public class BusReadiness implements HealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    Buses buses;

    @Inject
    ResourceCatalog catalog;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sluice-bus").withData("resourcesLoaded",
                catalog.isLoaded());
        boolean up = catalog.isLoaded();
        for (Map.Entry<String, Bus> bus : buses.openBuses().entrySet()) {
            boolean reachable = bus.getValue().isReachable(TIMEOUT);
            response.withData(bus.getKey(), reachable ? "reachable" : "unreachable");
            up &= reachable;
        }
        return response.status(up).build();
    }
}
