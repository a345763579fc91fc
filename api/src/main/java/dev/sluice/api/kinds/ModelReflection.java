package dev.sluice.api.kinds;

import dev.sluice.api.Condition;
import dev.sluice.api.Status;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.trigger.TriggerSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers the spec and status model for reflection in a native image, where Jackson reads and writes them.
 * The kinds register themselves, but their spec and status hide behind CustomResource's type variables, which
 * a hierarchy walk from the kinds may not resolve; a new spec class below these is found by the walk.
 */
@RegisterForReflection(targets = { EventSourceSpec.class, EventBusSpec.class, TriggerSpec.class, Status.class,
        Condition.class }, registerFullHierarchy = true)
final class ModelReflection {
    private ModelReflection() {
    }
}
