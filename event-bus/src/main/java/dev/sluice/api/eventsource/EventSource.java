package dev.sluice.api.eventsource;

import dev.sluice.api.SluiceResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Turns messages of external systems into CloudEvents on an event bus or straight to a sink. */
@Group(SluiceResource.GROUP)
@Version(SluiceResource.VERSION)
@Kind("EventSource")
@ShortNames("es")
public class EventSource extends SluiceResource<EventSourceSpec> implements Namespaced {
}
