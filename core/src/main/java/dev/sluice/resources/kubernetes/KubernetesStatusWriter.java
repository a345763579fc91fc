package dev.sluice.resources.kubernetes;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.SluiceResource;
import dev.sluice.resources.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Cluster mode: writes {@code observedGeneration} and the conditions through the status subresource of the
 * object the resource was read from. A JSON patch replaces the status whole, so a condition is never appended
 * twice (a merge patch would do too on a real API server, but not on the test server, which appends to
 * lists); {@link dev.sluice.api.Status} already kept each unchanged condition's {@code lastTransitionTime}.
 * No resourceVersion is sent: Sluice is the only writer of these statuses.
 */
@ApplicationScoped
@Typed(KubernetesStatusWriter.class)
public class KubernetesStatusWriter implements StatusWriter {
    private static final Logger LOG = Logger.getLogger(KubernetesStatusWriter.class);

    @Inject
    KubernetesClient client;

    @Inject
    KubernetesResources resources;

    @Inject
    ObjectMapper mapper;

    @Override
    public void write(SluiceResource<?> resource) {
        WatchedKind kind = resources.origin(resource.key()).orElse(null);
        if (kind == null) {
            return; // deleted meanwhile
        }
        try {
            // "add" replaces the whole status, conditions list included, or creates it
            String patch = mapper.writeValueAsString(List.of(Map.of("op", "add", "path", "/status",
                    "value", resource.getStatus())));
            var objects = client.genericKubernetesResources(kind.context());
            (kind.namespaced() ? objects.inNamespace(resource.getMetadata().getNamespace()) : objects)
                    .withName(resource.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), patch);
            LOG.debugf("Wrote status of %s: %s", resource.key(), resource.getStatus().getConditions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debugf("%s is gone; its status is not written", resource.key());
            } else {
                LOG.warnf("Writing the status of %s to %s failed (%d): %s", resource.key(), kind, e.getCode(),
                        e.getMessage());
            }
        }
    }
}
