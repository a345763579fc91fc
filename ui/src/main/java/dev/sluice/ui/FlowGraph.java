package dev.sluice.ui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sluice.api.Condition;
import dev.sluice.api.SinkSpec;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.trigger.Subscriber;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.api.trigger.TriggerInput;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.bus.BusNames;
import dev.sluice.flow.RecentEvents;

/**
 * The flow as a graph, read from the resources: each EventSource, the topic of each of its events, the Triggers
 * that read those topics, each subscriber's destination and its dead letter. Node ids are those that
 * {@link RecentEvents} and {@link FlowRates} use, so the page can join them. Positions are not chosen here: the
 * page lays the graph out with dagre.
 */
record FlowGraph(List<Node> nodes, List<Edge> edges) {

    /**
     * One node; {@code ready} is {@code True}, {@code False} or {@code Unknown}, with the reason and message of
     * the resource's Ready condition.
     */
    record Node(String id, String kind, String label, String detail, String ready, String reason, String message,
            String trigger, Integer subscriber) {
    }

    /** {@code kind} is {@code flow}, or {@code dead-letter} for the path a refused event takes. */
    record Edge(String source, String target, String label, String kind) {
    }

    static FlowGraph of(List<SluiceResource<?>> resources) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        for (SluiceResource<?> resource : resources) {
            if (resource instanceof EventSource source && source.getSpec() != null) {
                addEventSource(source, nodes, edges);
            }
        }
        for (SluiceResource<?> resource : resources) {
            if (resource instanceof Trigger trigger && trigger.getSpec() != null) {
                addTrigger(trigger, nodes, edges);
            }
        }
        return new FlowGraph(List.copyOf(nodes.values()), edges);
    }

    private static void addEventSource(EventSource source, Map<String, Node> nodes, List<Edge> edges) {
        String namespace = source.getMetadata().getNamespace();
        String name = source.getMetadata().getName();
        String id = "EventSource/" + namespace + "/" + name;
        Readiness ready = Readiness.of(source);
        nodes.put(id, new Node(id, "EventSource", name, namespace, ready.status, ready.reason, ready.message, null,
                null));
        source.getSpec().eventsByType().forEach((type, events) -> events.keySet().forEach(event -> {
            if (source.getSpec().getEventBus() != null) {
                String topic = topicOf(namespace, name, event);
                String topicId = RecentEvents.topic(topic);
                nodes.put(topicId, new Node(topicId, "Topic", event, "topic " + topic, ready.status, ready.reason,
                        ready.message, null, null));
                edges.add(new Edge(id, topicId, type, "flow"));
            }
        }));
        SinkSpec sink = source.getSpec().getSink();
        if (sink != null) {
            String sinkId = id + "/sink";
            nodes.put(sinkId, new Node(sinkId, "Sink", describe(sink), "spec.sink", ready.status, ready.reason,
                    ready.message, null, null));
            edges.add(new Edge(id, sinkId, "", "flow"));
        }
    }

    private static void addTrigger(Trigger trigger, Map<String, Node> nodes, List<Edge> edges) {
        String namespace = trigger.getMetadata().getNamespace();
        String name = trigger.getMetadata().getName();
        String id = RecentEvents.trigger(namespace, name);
        Readiness ready = Readiness.of(trigger);
        nodes.put(id, new Node(id, "Trigger", name, namespace, ready.status, ready.reason, ready.message, id, null));
        trigger.getSpec().getInputs().forEach((input, spec) -> {
            String topic = topicOf(inputNamespace(spec, namespace), spec.getEventSource(), spec.getEvent());
            String topicId = RecentEvents.topic(topic);
            nodes.putIfAbsent(topicId, new Node(topicId, "Topic", spec.getEvent(), "topic " + topic, "Unknown",
                    "NoEventSource", "no EventSource here publishes this event", null, null));
            edges.add(new Edge(topicId, id, input, "flow"));
        });
        List<Subscriber> subscribers = trigger.getSpec().getSubscribers();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            String subscriberId = RecentEvents.subscriber(namespace, name, i);
            String destination = subscriber.getTopic() != null ? "topic " + subscriber.getTopic()
                    : describe(subscriber.getSink());
            nodes.put(subscriberId, new Node(subscriberId, subscriber.getTopic() != null ? "Topic" : "Sink",
                    destination, "spec.subscribers[" + i + "]", ready.status, ready.reason, ready.message, id, i));
            String condition = subscriber.getCondition() == null || subscriber.getCondition().isBlank() ? "any input"
                    : subscriber.getCondition();
            edges.add(new Edge(id, subscriberId, condition, "flow"));
            Optional<String> deadLetter = subscriber.getDeadLetterTopic() != null
                    ? Optional.of("topic " + subscriber.getDeadLetterTopic())
                    : Optional.ofNullable(subscriber.getDeadLetterSink()).map(FlowGraph::describe);
            if (deadLetter.isPresent()) {
                String deadLetterId = subscriberId + "/deadletter";
                nodes.put(deadLetterId, new Node(deadLetterId, "DeadLetter", deadLetter.get(),
                        "dead letters of spec.subscribers[" + i + "]", ready.status, ready.reason, ready.message, id,
                        i));
                edges.add(new Edge(subscriberId, deadLetterId, "refused", "dead-letter"));
            }
        }
    }

    /** The event's bus topic; where the names cannot be mapped (the resource says so), a name no topic has. */
    private static String topicOf(String namespace, String eventSource, String event) {
        try {
            return BusNames.topic(namespace, eventSource, event);
        } catch (InvalidSpecException e) {
            return namespace + "/" + eventSource + "/" + event;
        }
    }

    private static String inputNamespace(TriggerInput input, String triggerNamespace) {
        return input.getNamespace() == null || input.getNamespace().isBlank() ? triggerNamespace
                : input.getNamespace();
    }

    private static String describe(SinkSpec sink) {
        if (sink == null) {
            return "(no destination)";
        }
        if (sink.getUri() != null) {
            return withoutCredentials(sink.getUri());
        }
        return sink.getRef() == null ? "(no destination)" : sink.getRef().getKind() + " " + sink.getRef().getName();
    }

    /** The address without user info or query, where a credential could hide. */
    static String withoutCredentials(String uri) {
        try {
            URI parsed = URI.create(uri);
            return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(), null, null)
                    .toString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            return "(an address that does not parse)";
        }
    }

    private record Readiness(String status, String reason, String message) {
        static Readiness of(SluiceResource<?> resource) {
            return resource.getStatus().condition(Condition.READY)
                    .map(c -> new Readiness(c.getStatus(), c.getReason(), c.getMessage()))
                    .orElse(new Readiness("Unknown", "NotReconciled", "not reconciled yet"));
        }
    }
}
