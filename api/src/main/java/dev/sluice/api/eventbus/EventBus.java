package dev.sluice.api.eventbus;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import dev.sluice.api.SluiceResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A namespaced event bus: Kafka directly, or a Dapr pub/sub component. Wins over a ClusterEventBus of the same name. */
// Jackson reads it (and every spec class below it) reflectively, also in a native image.
@RegisterForReflection(registerFullHierarchy = true)
@JsonClassDescription("A namespaced event bus: Kafka directly, or a Dapr pub/sub component. Wins over a ClusterEventBus of the same name.")
@Group(SluiceResource.GROUP)
@Version(SluiceResource.VERSION)
@Kind("EventBus")
@ShortNames("eb")
public class EventBus extends SluiceResource<EventBusSpec> implements Namespaced {
}
