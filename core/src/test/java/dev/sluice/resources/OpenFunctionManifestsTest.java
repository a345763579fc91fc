package dev.sluice.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.resources.kubernetes.WatchedKind;

/** Manifests in the layout of OpenFunction's documentation read as Sluice resources, field for field. */
class OpenFunctionManifestsTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ResourceParser parser = new ResourceParser(new ObjectMapper(), true);

    @Test
    void eventSourceWithAKafkaEventAndAKnativeSink() throws IOException {
        EventSource source = (EventSource) read("""
                apiVersion: events.openfunction.io/v1alpha1
                kind: EventSource
                metadata:
                  name: my-eventsource
                spec:
                  logLevel: "2"
                  kafka:
                    sample-one:
                      brokers: "kafka-server-kafka-brokers.default.svc.cluster.local:9092"
                      topic: "events-sample"
                      authRequired: false
                      maxMessageBytes: 2048
                  sink:
                    ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: function-sample-serving-ksvc
                      namespace: default
                """);
        assertThat(source.getApiVersion()).isEqualTo("events.sluice.dev/v1alpha1");
        assertThat(source.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(source.getSpec().getUnknownFields()).as("logLevel is a field of Sluice's too").isEmpty();
        assertThat(source.getSpec().getLogLevel()).isEqualTo("2");
        assertThat(source.getSpec().getKafka().get("sample-one").getTopic()).isEqualTo("events-sample");
        assertThat(source.getSpec().getKafka().get("sample-one").getMaxMessageBytes()).isEqualTo(2048);
        assertThat(source.getSpec().getSink().getRef().getKind()).isEqualTo("Service");
        assertThat(source.getSpec().getSink().getRef().getApiVersion()).isEqualTo("serving.knative.dev/v1");
    }

    @Test
    void eventBusWithNatsStreamingKeepsTheBindingSluiceLacksSoItCanBeReported() throws IOException {
        for (String kind : List.of("EventBus", "ClusterEventBus")) {
            Object bus = read("""
                    apiVersion: events.openfunction.io/v1alpha1
                    kind: %s
                    metadata:
                      name: default
                    spec:
                      natsStreaming:
                        natsURL: "nats://nats.default:4222"
                        natsStreamingClusterID: "stan"
                        subscriptionType: "queue"
                        durableSubscriptionName: "ImDurable"
                    """.formatted(kind));
            if (bus instanceof EventBus namespaced) {
                assertThat(namespaced.getSpec().getUnknownFields()).containsOnlyKeys("natsStreaming");
            } else {
                ClusterEventBus cluster = (ClusterEventBus) bus;
                assertThat(cluster.getSpec().getUnknownFields()).containsOnlyKeys("natsStreaming");
                assertThat(cluster.getMetadata().getNamespace()).isNull();
            }
        }
    }

    @Test
    void triggerWithInputsAndBothKindsOfSubscriber() throws IOException {
        Trigger trigger = (Trigger) read("""
                apiVersion: events.openfunction.io/v1alpha1
                kind: Trigger
                metadata:
                  name: function-sample-trigger
                spec:
                  logLevel: "2"
                  eventBus: "default"
                  inputs:
                    inputDemo:
                      eventSource: "my-eventsource"
                      event: "sample-one"
                  subscribers:
                  - condition: inputDemo
                    sink:
                      ref:
                        apiVersion: serving.knative.dev/v1
                        kind: Service
                        name: function-sample-serving-only-ksvc
                        namespace: default
                  - condition: inputDemo
                    topic: "metrics"
                """);
        assertThat(trigger.getSpec().getEventBus()).isEqualTo("default");
        assertThat(trigger.getSpec().getInputs().get("inputDemo").getEventSource()).isEqualTo("my-eventsource");
        assertThat(trigger.getSpec().getInputs().get("inputDemo").getEvent()).isEqualTo("sample-one");
        assertThat(trigger.getSpec().getSubscribers()).extracting(s -> s.getCondition()).containsExactly("inputDemo", "inputDemo");
        assertThat(trigger.getSpec().getSubscribers().get(0).getSink().getRef().getName())
                .isEqualTo("function-sample-serving-only-ksvc");
        assertThat(trigger.getSpec().getSubscribers().get(1).getTopic()).isEqualTo("metrics");
        assertThat(trigger.getStatus().getConditions()).as("parsed cleanly").isEmpty();
    }

    @Test
    void sluiceAndOpenFunctionKindsAreWatchedOnlyWhenAsked() {
        assertThat(WatchedKind.all(false)).extracting(WatchedKind::toString).containsExactly(
                "eventsources.events.sluice.dev", "eventbuses.events.sluice.dev",
                "clustereventbuses.events.sluice.dev", "triggers.events.sluice.dev");
        assertThat(WatchedKind.all(true)).filteredOn(WatchedKind::isOpenFunction)
                .extracting(WatchedKind::apiVersion).containsOnly("events.openfunction.io/v1alpha1").hasSize(4);
    }

    @Test
    void withoutTheOptInOpenFunctionsGroupIsRefusedWithAHint() {
        List<ResourceParser.Parsed> parsed = new ResourceParser(new ObjectMapper()).parse("""
                apiVersion: events.openfunction.io/v1alpha1
                kind: EventSource
                metadata: {name: my-eventsource}
                spec: {eventBus: default}
                """, "of.yaml");
        assertThat(parsed).singleElement().satisfies(p -> assertThat(p.skipped())
                .contains("not a Sluice resource").contains("sluice.openfunction=true"));
    }

    private Object read(String manifest) throws IOException {
        ObjectNode tree = (ObjectNode) yaml.readTree(manifest);
        List<ResourceParser.Parsed> parsed = List.of(parser.parse(tree, "test"));
        assertThat(parsed.get(0).skipped()).isNull();
        return parsed.get(0).resource();
    }
}
