package dev.sluice.resources;

import dev.sluice.api.SluiceResource;

/** Publishes a resource's status where its users look: the log locally, the status subresource in a cluster. */
public interface StatusWriter {

    /** Called after a reconcile changed the resource's conditions or observed generation. */
    void write(SluiceResource<?> resource);
}
