package dev.sluice.api.eventbus;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import dev.sluice.api.SluiceResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A cluster-wide event bus, used where no EventBus of the same name exists in the namespace. */
// Jackson reads it (and every spec class below it) reflectively, also in a native image.
@RegisterForReflection(registerFullHierarchy = true)
@JsonClassDescription("A cluster-wide event bus, used where no EventBus of the same name exists in the namespace.")
@Group(SluiceResource.GROUP)
@Version(SluiceResource.VERSION)
@Kind("ClusterEventBus")
@ShortNames("ceb")
public class ClusterEventBus extends SluiceResource<EventBusSpec> {
}
