package dev.sluice.resources;

import java.util.List;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;

/**
 * Brings the work a service runs in line with the resources of one kind. The catalog calls it on one
 * thread, for every change, and again every few seconds while the resource is not Ready, so it must be
 * idempotent and cheap when nothing changed.
 */
public interface Reconciler<R extends SluiceResource<?>> {

    /** True for the resources this reconciler serves; the catalog hands it only those. */
    boolean serves(SluiceResource<?> resource);

    /**
     * Starts or reconfigures the work of one resource.
     *
     * @return the sub-conditions that {@code Ready} is rolled up from
     * @throws dev.sluice.api.InvalidSpecException for a spec that cannot be served; it becomes
     *         {@code Ready=False} with its reason, and the other resources go on
     */
    List<Condition> reconcile(R resource);

    /**
     * True when the work of a Ready resource changed state since its last reconcile (a source lost its broker),
     * so the catalog reconciles it again at its next resync and the status tells. Called every few seconds on
     * the catalog's thread: it must be cheap.
     */
    default boolean needsReconcile(R resource) {
        return false;
    }

    /** Stops the work of a resource that was deleted. */
    void delete(ResourceKey key);

    /** Stops all work, at shutdown. */
    default void stopAll() {
    }
}
