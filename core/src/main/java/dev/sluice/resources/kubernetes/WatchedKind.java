package dev.sluice.resources.kubernetes;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.sluice.api.SluiceResource;
import dev.sluice.api.kinds.ResourceKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One kind that Sluice watches, in one API group: its own {@code events.sluice.dev} or, opt-in,
 * OpenFunction's {@code events.openfunction.io}, whose field names Sluice shares.
 */
public record WatchedKind(String group, String kind, String plural, boolean namespaced) {
    public static final String OPENFUNCTION_GROUP = "events.openfunction.io";

    private static final List<WatchedKind> SLUICE = Arrays.stream(ResourceKind.values())
            .map(k -> new WatchedKind(SluiceResource.GROUP, k.kind(), k.plural(), k.namespaced())).toList();

    /** Sluice's kinds, and OpenFunction's of the same names too when asked. */
    public static List<WatchedKind> all(boolean openFunction) {
        if (!openFunction) {
            return SLUICE;
        }
        return Stream.concat(SLUICE.stream(), SLUICE.stream()
                .map(k -> new WatchedKind(OPENFUNCTION_GROUP, k.kind(), k.plural(), k.namespaced()))).toList();
    }

    public boolean isOpenFunction() {
        return OPENFUNCTION_GROUP.equals(group);
    }

    public String apiVersion() {
        return group + "/" + SluiceResource.VERSION;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(SluiceResource.VERSION)
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    @Override
    public String toString() {
        return plural + "." + group;
    }
}
