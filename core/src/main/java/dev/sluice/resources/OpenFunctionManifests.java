package dev.sluice.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads an {@code events.openfunction.io/v1alpha1} object as the Sluice resource of the same kind: the field
 * names are shared (OpenFunction's {@code spec.logLevel} included), so only the apiVersion changes. Applied only
 * when {@code sluice.openfunction} (or the older {@code sluice.kubernetes.openfunction}) is true, in either mode.
 */
public final class OpenFunctionManifests {
    public static final String API_VERSION = "events.openfunction.io/v1alpha1";

    private OpenFunctionManifests() {
    }

    /** Rewrites the tree in place and returns it. */
    public static ObjectNode toSluice(ObjectNode object) {
        object.put("apiVersion", ResourceParser.API_VERSION);
        return object;
    }
}
