package dev.sluice.management;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.All;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;

/**
 * The one rule for where management routes go: on Quarkus's management interface where it is enabled
 * ({@code quarkus.management.enabled}, as the packaged services in a cluster), and there only; otherwise on the one
 * HTTP port, as in local mode.
 */
@ApplicationScoped
public class ManagementRouter {

    @Inject
    @All
    List<ManagementEndpoints> endpoints;

    @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false")
    boolean managementInterface;

    void onMainRouter(@Observes Router router) {
        if (!managementInterface) {
            endpoints.forEach(e -> e.register(router));
        }
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        endpoints.forEach(e -> e.register(management.router()));
    }
}
