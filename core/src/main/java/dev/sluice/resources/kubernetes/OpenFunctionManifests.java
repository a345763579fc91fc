package dev.sluice.resources.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sluice.resources.ResourceParser;

/**
 * Reads an {@code events.openfunction.io/v1alpha1} object as the Sluice resource of the same kind: the field
 * names are shared, so only the apiVersion changes, and {@code spec.logLevel} (the verbosity of OpenFunction's
 * own adapter pods, which Sluice does not run) is dropped instead of being reported as an unknown field.
 */
public final class OpenFunctionManifests {

    private OpenFunctionManifests() {
    }

    /** Rewrites the tree in place and returns it. */
    public static ObjectNode toSluice(ObjectNode object) {
        object.put("apiVersion", ResourceParser.API_VERSION);
        if (object.path("spec") instanceof ObjectNode spec) {
            spec.remove("logLevel");
        }
        return object;
    }
}
