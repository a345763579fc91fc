package dev.sluice.api.kinds;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.sluice.api.SluiceResource;
import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.trigger.Trigger;

/**
 * The one list of Sluice's resource kinds. Parsing, watching, the catalog's meters and the bus-change rule all
 * read it, so a new kind is one more constant here (and its spec in {@code ModelReflection}, which an annotation
 * must name at compile time).
 */
public enum ResourceKind {
    EVENT_SOURCE("EventSource", "eventsources", true, false, EventSource.class),
    EVENT_BUS("EventBus", "eventbuses", true, true, EventBus.class),
    CLUSTER_EVENT_BUS("ClusterEventBus", "clustereventbuses", false, true, ClusterEventBus.class),
    TRIGGER("Trigger", "triggers", true, false, Trigger.class);

    private final String kind;
    private final String plural;
    private final boolean namespaced;
    private final boolean bus;
    private final Class<? extends SluiceResource<?>> type;

    ResourceKind(String kind, String plural, boolean namespaced, boolean bus, Class<? extends SluiceResource<?>> type) {
        this.kind = kind;
        this.plural = plural;
        this.namespaced = namespaced;
        this.bus = bus;
        this.type = type;
    }

    /** The {@code kind} as written in a manifest, e.g. {@code EventSource}. */
    public String kind() {
        return kind;
    }

    /** The plural of the custom resource, e.g. {@code eventsources}. */
    public String plural() {
        return plural;
    }

    /** False for a cluster-scoped kind. */
    public boolean namespaced() {
        return namespaced;
    }

    /** True for a kind that defines a bus: a change to one may change every resource that uses it. */
    public boolean isBus() {
        return bus;
    }

    /** The model class a manifest of this kind is read into. */
    public Class<? extends SluiceResource<?>> type() {
        return type;
    }

    /** The kind of that name, as written in a manifest. */
    public static Optional<ResourceKind> named(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }

    /** True when {@code kind} names a kind that defines a bus. */
    public static boolean isBus(String kind) {
        return named(kind).map(ResourceKind::isBus).orElse(false);
    }

    /** Every kind's name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(ResourceKind::kind).toList();
    }
}
