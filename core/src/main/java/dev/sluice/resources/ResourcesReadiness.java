package dev.sluice.resources;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.sluice.config.SluiceConfig;

/**
 * Ready once the resources have been read from where they come from (the folder of local mode, or the
 * Kubernetes API) and reconciled once. A resource that is not Ready shows in the data but does not make the
 * service unready: one bad spec must not take the others off the load balancer.
 */
@Readiness
@ApplicationScoped
public class ResourcesReadiness implements HealthCheck {

    @Inject
    ResourceCatalog catalog;

    @Inject
    SluiceConfig config;

    @Override
    public HealthCheckResponse call() {
        ResourceCatalog.Readiness readiness = catalog.readiness();
        return HealthCheckResponse.named("sluice-resources")
                .withData("source", config.resources().source() == SluiceConfig.Source.KUBERNETES ? "kubernetes"
                        : "folder " + config.resources().dir().orElse("(none)"))
                .withData("loaded", catalog.isLoaded())
                .withData("reconciled", readiness.reconciled())
                .withData("notReady", readiness.notReady())
                .status(catalog.isLoaded())
                .build();
    }
}
