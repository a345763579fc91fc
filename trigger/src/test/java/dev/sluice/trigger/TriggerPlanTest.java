package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.trigger.Trigger;
import dev.sluice.resources.ResourceParser;
import dev.sluice.trigger.TriggerPlan.PlannedSubscriber;
import dev.sluice.trigger.delivery.DeliveryPolicy;

class TriggerPlanTest {

    @Test
    void aSubscriberWithSinkAndTopicPlansBothDestinationsEachWithItsOwnPathAndTag() {
        Trigger trigger = (Trigger) new ResourceParser(new ObjectMapper(), true).parse("""
                apiVersion: events.openfunction.io/v1alpha1
                kind: Trigger
                metadata: {name: both}
                spec:
                  logLevel: "2"
                  eventBus: default
                  inputs:
                    a: {eventSource: s, event: e}
                  subscribers:
                  - condition: a
                    sink: {uri: "http://127.0.0.1:9/"}
                    topic: metrics
                  - condition: a
                    topic: only-topic
                """, "test").get(0).resource();
        List<PlannedSubscriber> planned = TriggerPlan.of(trigger, DeliveryPolicy.DEFAULTS).subscribers();
        assertThat(planned).extracting(PlannedSubscriber::field).containsExactly("spec.subscribers[0].sink",
                "spec.subscribers[0].topic", "spec.subscribers[1]");
        assertThat(planned).extracting(PlannedSubscriber::tag).containsExactly("0.sink", "0.topic", "1");
        assertThat(planned).extracting(p -> p.delivery().target().address())
                .containsExactly("http://127.0.0.1:9/", "metrics", "only-topic");
    }
}
