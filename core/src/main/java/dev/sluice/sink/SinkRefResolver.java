package dev.sluice.sink;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.Reference;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Resolves a {@code sink.ref} to the URI of the object it names, read through the Kubernetes API: a {@code v1}
 * Service's cluster DNS name, an OpenFunction Function's internal address, or any Addressable's
 * {@code status.address.url} (Knative Services included), else its {@code status.url}.
 */
@ApplicationScoped
public class SinkRefResolver {
    @Inject
    Instance<KubernetesClient> clients;

    /**
     * A ref that may resolve later (not found, not addressable yet, no API): the caller should try again rather
     * than keep the failure for the generation.
     */
    public static final class Unresolved extends InvalidSpecException {
        public Unresolved(String field, String message) {
            super(Reasons.SINK_NOT_RESOLVED, field, message);
        }
    }

    /**
     * @param defaultNamespace the referring resource's namespace, for a ref without one
     * @param field the path of the ref, e.g. {@code spec.subscribers[0].sink.ref}
     * @return the absolute URI to POST to
     * @throws InvalidSpecException {@code SinkNotResolved}; an {@link Unresolved} when trying again may help
     */
    public String resolve(Reference ref, String defaultNamespace, String field) {
        if (ref == null || blank(ref.getName()) || blank(ref.getKind()) || blank(ref.getApiVersion())) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field, "a ref needs apiVersion, kind and name");
        }
        String namespace = blank(ref.getNamespace()) ? defaultNamespace : ref.getNamespace();
        String what = ref.getKind() + " " + namespace + "/" + ref.getName() + " (" + ref.getApiVersion() + ")";
        if (!clients.isResolvable()) {
            throw new Unresolved(field, "no Kubernetes API to resolve " + what + " with; give sink.uri");
        }
        GenericKubernetesResource object;
        try {
            object = clients.get().genericKubernetesResources(context(ref.getApiVersion(), ref.getKind()))
                    .inNamespace(namespace).withName(ref.getName()).get();
        } catch (KubernetesClientException e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            throw new Unresolved(field, "the Kubernetes API did not return " + what + ": " + e.getMessage() + cause);
        } catch (RuntimeException e) {
            throw new Unresolved(field, "no Kubernetes API reachable to resolve " + what + ": " + e);
        }
        if (object == null) {
            throw new Unresolved(field, what + " not found");
        }
        return addressOf(ref.getApiVersion(), ref.getKind(), ref.getName(), namespace, object.getAdditionalProperties())
                .orElseThrow(() -> new Unresolved(field, what + " is not addressable yet (no address in its status)"));
    }

    /** The address of an object of {@code apiVersion}/{@code kind} with these top-level fields (spec, status). */
    static Optional<String> addressOf(String apiVersion, String kind, String name, String namespace,
            Map<String, Object> object) {
        if ("v1".equals(apiVersion) && "Service".equals(kind)) {
            return Optional.of(serviceUri(name, namespace, object));
        }
        if (apiVersion.startsWith("core.openfunction.io/") && "Function".equals(kind)) {
            Object addresses = value(object, "status", "addresses");
            if (addresses instanceof List<?> list) {
                for (Object entry : list) {
                    if (entry instanceof Map<?, ?> address && "Internal".equals(address.get("type"))
                            && address.get("value") instanceof String value && !value.isBlank()) {
                        return Optional.of(value);
                    }
                }
            }
            return text(object, "status", "url").or(() -> text(object, "status", "address", "url"));
        }
        return text(object, "status", "address", "url").or(() -> text(object, "status", "url"));
    }

    /** {@code http://{name}.{namespace}.svc.cluster.local[:port]/}, the port of the first spec port unless 80. */
    static String serviceUri(String name, String namespace, Map<String, Object> service) {
        Object port = value(service, "spec", "ports", 0, "port");
        String suffix = port instanceof Number number && number.intValue() != 80 ? ":" + number.intValue() : "";
        return "http://" + name + "." + namespace + ".svc.cluster.local" + suffix + "/";
    }

    private static ResourceDefinitionContext context(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return new ResourceDefinitionContext.Builder()
                .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                .withVersion(apiVersion.substring(slash + 1))
                .withKind(kind)
                .withPlural(Pluralize.toPlural(kind.toLowerCase(java.util.Locale.ROOT)))
                .withNamespaced(true)
                .build();
    }

    private static Optional<String> text(Map<String, Object> object, Object... path) {
        return value(object, path) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }

    private static Object value(Map<String, Object> object, Object... path) {
        try {
            return GenericKubernetesResource.get(object, path);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
