package dev.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.SluiceResource;
import dev.sluice.resources.ResourceParser;

class FlowGraphTest {

    @Test
    void theTourDrawsItsSourceTopicTriggerSubscribersAndDeadLetter() throws IOException {
        List<SluiceResource<?>> tour = parse(Files.readString(Path.of("../kubernetes/examples/local/shop.yaml")));
        tour.get(0).getStatus().setCondition(Condition.ok(Condition.READY, "Ready"));
        tour.get(1).getStatus().setCondition(Condition.failed(Condition.READY, "SinkNotAllowed",
                "spec.subscribers[0].sink.uri: link-local"));

        FlowGraph graph = FlowGraph.of(tour);

        assertThat(graph.nodes()).extracting(FlowGraph.Node::id, FlowGraph.Node::kind, FlowGraph.Node::label)
                .containsExactly(
                        tuple("EventSource/default/shop", "EventSource", "shop"),
                        tuple("topic/default-shop-orders", "Topic", "orders"),
                        tuple("Trigger/default/big-orders", "Trigger", "big-orders"),
                        tuple("Trigger/default/big-orders/subscribers/0", "Sink", "http://127.0.0.1:8080/display"),
                        tuple("Trigger/default/big-orders/subscribers/0/deadletter", "DeadLetter",
                                "topic big-orders-dead"),
                        tuple("Trigger/default/big-orders/subscribers/1", "Topic", "topic all-orders"));
        assertThat(graph.edges()).extracting(FlowGraph.Edge::source, FlowGraph.Edge::target, FlowGraph.Edge::kind)
                .containsExactly(
                        tuple("EventSource/default/shop", "topic/default-shop-orders", "flow"),
                        tuple("topic/default-shop-orders", "Trigger/default/big-orders", "flow"),
                        tuple("Trigger/default/big-orders", "Trigger/default/big-orders/subscribers/0", "flow"),
                        tuple("Trigger/default/big-orders/subscribers/0",
                                "Trigger/default/big-orders/subscribers/0/deadletter", "dead-letter"),
                        tuple("Trigger/default/big-orders", "Trigger/default/big-orders/subscribers/1", "flow"));
        assertThat(graph.nodes().get(0)).extracting(FlowGraph.Node::ready, FlowGraph.Node::reason)
                .containsExactly("True", "Ready");
        assertThat(graph.nodes().get(2)).extracting(FlowGraph.Node::ready, FlowGraph.Node::reason,
                FlowGraph.Node::message)
                .containsExactly("False", "SinkNotAllowed", "spec.subscribers[0].sink.uri: link-local");
    }

    @Test
    void anInputWithoutItsEventSourceIsATopicOfUnknownReadiness() {
        FlowGraph graph = FlowGraph.of(parse("""
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {name: t, namespace: team-a}
                spec:
                  eventBus: default
                  inputs:
                    paid: {eventSource: payments, event: settled, namespace: billing}
                  subscribers:
                  - sink: {uri: "https://user:secret@example.com/hook?token=abc"}
                """));

        assertThat(graph.nodes()).extracting(FlowGraph.Node::id, FlowGraph.Node::ready, FlowGraph.Node::label)
                .containsExactly(
                        tuple("Trigger/team-a/t", "Unknown", "t"),
                        tuple("topic/billing-payments-settled", "Unknown", "settled"),
                        tuple("Trigger/team-a/t/subscribers/0", "Unknown", "https://example.com/hook"));
        assertThat(graph.edges()).extracting(FlowGraph.Edge::label).containsExactly("paid", "any input");
    }

    private static List<SluiceResource<?>> parse(String yaml) {
        return new ResourceParser(new ObjectMapper()).parse(yaml, "test").stream()
                .map(ResourceParser.Parsed::resource).<SluiceResource<?>> map(r -> r).toList();
    }
}
