package dev.sluice.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;

/** Base of every Sluice resource: a spec, the shared {@link Status}, and a stable key. */
@AdditionalPrinterColumn(name = "Ready", jsonPath = SluiceResource.READY_STATUS, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = SluiceResource.READY_REASON, type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public abstract class SluiceResource<S> extends CustomResource<S, Status> {
    public static final String GROUP = "events.sluice.dev";
    public static final String VERSION = "v1alpha1";
    static final String READY_STATUS = ".status.conditions[?(@.type==\"Ready\")].status";
    static final String READY_REASON = ".status.conditions[?(@.type==\"Ready\")].reason";

    @Override
    protected Status initStatus() {
        return new Status();
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} for a cluster-scoped resource. */
    public ResourceKey key() {
        return new ResourceKey(getKind(), getMetadata().getNamespace(), getMetadata().getName());
    }

    public long generation() {
        Long g = getMetadata().getGeneration();
        return g == null ? 1L : g;
    }
}
