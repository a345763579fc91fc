package dev.sluice.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.trigger.Trigger;

class ResourceParserTest {
    private final ResourceParser parser = new ResourceParser(new ObjectMapper());

    @Test
    void readsEveryDocumentWithItsFieldsAndDefaultsTheNamespace() {
        List<ResourceParser.Parsed> parsed = parser.parse("""
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: shop}
                spec:
                  eventBus: default
                  http: {orders: {}}
                  kafka:
                    payments: {brokers: "localhost:9092", topic: payments, consumerGroup: shop-payments}
                  mqtt:
                    temperature: {url: "tcp://localhost:1883", topic: "sensors/+/temp", qos: 1}
                ---
                apiVersion: events.sluice.dev/v1alpha1
                kind: ClusterEventBus
                metadata: {name: default}
                spec: {kafka: {brokers: "kafka:9092", partitions: 3}}
                ---
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {name: big-orders, namespace: shop}
                spec:
                  inputs: {order: {eventSource: shop, event: orders}}
                  subscribers:
                  - condition: "order && event.data.amount > 100"
                    sink: {uri: "http://localhost:9000/"}
                    deadLetterTopic: big-orders-dead
                """, "test.yaml");

        assertThat(parsed).allMatch(p -> p.resource() != null);
        EventSource source = (EventSource) parsed.get(0).resource();
        assertThat(source.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(source.getSpec().getHttp()).containsKey("orders");
        assertThat(source.getSpec().getKafka().get("payments").getConsumerGroup()).isEqualTo("shop-payments");
        assertThat(source.getSpec().getMqtt().get("temperature").getQos()).isEqualTo(1);
        ClusterEventBus bus = (ClusterEventBus) parsed.get(1).resource();
        assertThat(bus.getMetadata().getNamespace()).isNull();
        assertThat(bus.getSpec().getKafka().getPartitions()).isEqualTo(3);
        Trigger trigger = (Trigger) parsed.get(2).resource();
        assertThat(trigger.getSpec().getSubscribers().get(0).getDeadLetterTopic()).isEqualTo("big-orders-dead");
        assertThat(trigger.getSpec().getInputs().get("order").getEvent()).isEqualTo("orders");
    }

    @Test
    void aFieldOfTheWrongTypeGivesANotReadyResourceNamingThePath() {
        List<ResourceParser.Parsed> parsed = parser.parse("""
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: shop, namespace: default}
                spec:
                  eventBus: default
                  mqtt:
                    temperature: {url: "tcp://localhost:1883", qos: high}
                """, "bad.yaml");

        EventSource source = (EventSource) parsed.get(0).resource();
        assertThat(source.getSpec()).isNull();
        Condition ready = source.getStatus().condition(Condition.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("SpecNotParsed");
        assertThat(ready.getMessage()).startsWith("spec.mqtt.temperature.qos:");
    }

    @Test
    void documentsThatAreNotSluiceResourcesAreSkippedWithTheReason() {
        List<ResourceParser.Parsed> parsed = parser.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                ---
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {namespace: default}
                ---
                : not yaml [
                """, "mixed.yaml");

        assertThat(parsed).extracting(ResourceParser.Parsed::skipped).allSatisfy(s -> assertThat(s).isNotNull());
        assertThat(parsed.get(0).skipped()).contains("mixed.yaml#1", "not a Sluice resource", "ConfigMap");
        assertThat(parsed.get(1).skipped()).contains("without metadata.name");
    }
}
