package dev.sluice.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The status every Sluice resource carries. A condition is replaced in place, never appended twice, and
 * keeps its {@code lastTransitionTime} while its status does not change. {@code Ready} is rolled up
 * from the other conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Status {
    @JsonPropertyDescription("The metadata.generation that these conditions describe.")
    private Long observedGeneration;
    @JsonPropertyDescription("Ready, rolled up from the sub-conditions: the first false one gives its reason and message.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    @JsonIgnore
    public boolean isReady() {
        return condition(Condition.READY).map(Condition::isTrue).orElse(false);
    }

    /** Replaces the condition of the same type, keeping its transition time when the status is unchanged. */
    public void setCondition(Condition next) {
        Optional<Condition> previous = condition(next.getType());
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (previous.isPresent() && Objects.equals(previous.get().getStatus(), next.getStatus())
                && previous.get().getLastTransitionTime() != null) {
            next.setLastTransitionTime(previous.get().getLastTransitionTime());
        } else if (next.getLastTransitionTime() == null) {
            next.setLastTransitionTime(now);
        }
        conditions.removeIf(c -> next.getType().equals(c.getType()));
        conditions.add(next);
    }

    /**
     * Sets the sub-conditions of one reconcile, drops sub-conditions that it no longer reports, and rolls
     * {@code Ready} up from them: the first false one gives its reason and message.
     */
    public void reconciled(long generation, List<Condition> subConditions) {
        conditions.removeIf(c -> !Condition.READY.equals(c.getType())
                && subConditions.stream().noneMatch(s -> s.getType().equals(c.getType())));
        subConditions.forEach(this::setCondition);
        Condition ready = subConditions.stream().filter(c -> !c.isTrue()).findFirst()
                .map(c -> Condition.failed(Condition.READY, c.getReason(), c.getMessage()))
                .orElseGet(() -> Condition.ok(Condition.READY, Reasons.READY));
        setCondition(ready);
        observedGeneration = generation;
    }
}
