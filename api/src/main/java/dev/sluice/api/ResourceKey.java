package dev.sluice.api;

/** Identifies one resource: kind, namespace (null for cluster-scoped) and name. */
public record ResourceKey(String kind, String namespace, String name) {
    @Override
    public String toString() {
        return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
