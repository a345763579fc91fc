package dev.sluice.api.trigger;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import dev.sluice.api.SluiceResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Subscribes to events of its inputs on a bus and delivers those its subscribers' conditions match. */
// Jackson reads it (and every spec class below it) reflectively, also in a native image.
@RegisterForReflection(registerFullHierarchy = true)
@JsonClassDescription("Subscribes to events of its inputs on a bus and delivers those its subscribers' conditions match.")
@Group(SluiceResource.GROUP)
@Version(SluiceResource.VERSION)
@Kind("Trigger")
@ShortNames("tr")
public class Trigger extends SluiceResource<TriggerSpec> implements Namespaced {
}
