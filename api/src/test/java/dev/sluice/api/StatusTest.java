package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatusTest {

    @Test
    void readyRollsUpTheFirstFalseSubCondition() {
        Status status = new Status();
        status.reconciled(3, List.of(Condition.ok("BusResolved", "TopicsReady"),
                Condition.failed("SourcesReady", "SourceFailed", "spec.mqtt.temp: broker unreachable")));

        assertThat(status.getObservedGeneration()).isEqualTo(3);
        assertThat(status.isReady()).isFalse();
        Condition ready = status.condition(Condition.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("SourceFailed");
        assertThat(ready.getMessage()).contains("spec.mqtt.temp");
    }

    @Test
    void aConditionIsReplacedNeverAppendedAndKeepsItsTransitionTimeWhileUnchanged() {
        Status status = new Status();
        status.reconciled(1, List.of(Condition.ok("BusResolved", "TopicsReady")));
        Condition first = status.condition("BusResolved").orElseThrow();
        first.setLastTransitionTime("2020-01-01T00:00:00Z");

        status.reconciled(2, List.of(Condition.ok("BusResolved", "TopicsReady")));

        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("BusResolved", "Ready");
        assertThat(status.condition("BusResolved").orElseThrow().getLastTransitionTime()).isEqualTo("2020-01-01T00:00:00Z");

        status.reconciled(3, List.of(Condition.failed("BusResolved", "TopicsNotReady", "down")));
        assertThat(status.condition("BusResolved").orElseThrow().getLastTransitionTime()).isNotEqualTo("2020-01-01T00:00:00Z");
        assertThat(status.getConditions()).hasSize(2);
    }

    @Test
    void subConditionsNoLongerReportedAreDropped() {
        Status status = new Status();
        status.reconciled(1, List.of(Condition.failed("SpecValid", "UnknownSourceType", "spec.nats: unknown")));
        status.reconciled(2, List.of(Condition.ok("BusResolved", "TopicsReady")));

        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("BusResolved", "Ready");
        assertThat(status.isReady()).isTrue();
    }
}
