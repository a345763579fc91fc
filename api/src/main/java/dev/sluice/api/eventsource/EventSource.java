package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import dev.sluice.api.SluiceResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Turns messages of external systems into CloudEvents on an event bus or straight to a sink. */
// Jackson reads it (and every spec class below it) reflectively, also in a native image.
@RegisterForReflection(registerFullHierarchy = true)
@JsonClassDescription("Turns messages of external systems (HTTP, Kafka, MQTT) into CloudEvents on an event bus.")
@Group(SluiceResource.GROUP)
@Version(SluiceResource.VERSION)
@Kind("EventSource")
@ShortNames("es")
public class EventSource extends SluiceResource<EventSourceSpec> implements Namespaced {
}
