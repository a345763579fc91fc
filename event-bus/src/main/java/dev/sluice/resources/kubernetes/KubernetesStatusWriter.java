package dev.sluice.resources.kubernetes;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.SluiceResource;
import dev.sluice.resources.StatusWriter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Cluster mode: writes {@code observedGeneration} and the conditions through the status subresource of the
 * object the resource was read from. A JSON merge patch replaces the conditions list whole, so a condition
 * is never appended twice; {@link dev.sluice.api.Status} already kept each unchanged condition's
 * {@code lastTransitionTime}. No resourceVersion is sent: Sluice is the only writer of these statuses.
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
    @SuppressWarnings("unchecked")
    public void write(SluiceResource<?> resource) {
        WatchedKind kind = resources.origin(resource.key()).orElse(null);
        if (kind == null) {
            return; // deleted meanwhile
        }
        GenericKubernetesResource patch = new GenericKubernetesResource();
        patch.setApiVersion(kind.apiVersion());
        patch.setKind(kind.kind());
        patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace()).build());
        patch.setAdditionalProperty("status", mapper.convertValue(resource.getStatus(), Map.class));
        try {
            var objects = client.genericKubernetesResources(kind.context());
            (kind.namespaced() ? objects.inNamespace(resource.getMetadata().getNamespace()) : objects)
                    .resource(patch).patchStatus();
            LOG.debugf("Wrote status of %s: %s", resource.key(), resource.getStatus().getConditions());
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
