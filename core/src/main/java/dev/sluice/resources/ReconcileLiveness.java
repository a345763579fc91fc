package dev.sluice.resources;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the reconcile loop takes work. It deliberately looks at nothing outside the process: a broker
 * outage makes the service unready (see the bus readiness check of the event-bus module), and restarting it would not bring
 * the broker back.
 */
@Liveness
@ApplicationScoped
public class ReconcileLiveness implements HealthCheck {

    @Inject
    ResourceCatalog catalog;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sluice-reconcile-loop").status(catalog.isRunning()).build();
    }
}
