package dev.sluice.flow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.sluice.cloudevents.CloudEvents;
import io.cloudevents.CloudEvent;

/**
 * The last few events through each node of the flow (a bus topic, a Trigger, one of its subscribers), for the
 * flow page's detail panel. Bounded twice: {@value #PER_NODE} events per node, and {@value #MAX_NODES} nodes, so
 * neither a busy topic nor a flood of names grows the heap. Recording copies a few attributes and the first
 * {@value #EXCERPT} bytes of data; it never holds the event itself.
 */
@ApplicationScoped
public class RecentEvents {
    static final int PER_NODE = 25;
    static final int MAX_NODES = 2000;
    static final int EXCERPT = 160;

    /** One event as it went through a node; {@code outcome} says what the node did with it. */
    public record Entry(String id, String type, String source, String time, String seenAt, String dataExcerpt,
            String outcome) {
    }

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    /** The node of a bus topic: what was published to it and acknowledged. */
    public static String topic(String topic) {
        return "topic/" + topic;
    }

    /** The node of a Trigger: the events it read from the bus. */
    public static String trigger(String namespace, String name) {
        return "Trigger/" + namespace + "/" + name;
    }

    /** The node of {@code spec.subscribers[index]} of a Trigger: each event's outcome there. */
    public static String subscriber(String namespace, String name, int index) {
        return trigger(namespace, name) + "/subscribers/" + index;
    }

    /**
     * The ring of one node, to keep and record into; a recorder holds it rather than looking it up per event.
     * Past {@value #MAX_NODES} nodes, a new node gets a ring that keeps nothing.
     */
    public Ring node(String node) {
        Ring ring = rings.get(node);
        if (ring != null) {
            return ring;
        }
        if (rings.size() >= MAX_NODES) {
            return Ring.DISCARDING;
        }
        return rings.computeIfAbsent(node, n -> new Ring(PER_NODE));
    }

    /** The events recorded at a node, newest first; empty for a node that saw none. */
    public List<Entry> of(String node) {
        Ring ring = rings.get(node);
        return ring == null ? List.of() : ring.newestFirst();
    }

    /** A bounded ring of entries; recording is safe from any thread and takes a short lock. */
    public static final class Ring {
        static final Ring DISCARDING = new Ring(0);

        private final int capacity;
        private final Deque<Entry> entries = new ArrayDeque<>();

        Ring(int capacity) {
            this.capacity = capacity;
        }

        public void record(CloudEvent event, String outcome) {
            if (capacity == 0) {
                return;
            }
            OffsetDateTime time = event.getTime();
            Entry entry = new Entry(event.getId(), event.getType(), String.valueOf(event.getSource()),
                    time == null ? null : time.toString(), Instant.now().toString(), excerpt(event), outcome);
            synchronized (entries) {
                if (entries.size() == capacity) {
                    entries.removeLast();
                }
                entries.addFirst(entry);
            }
        }

        List<Entry> newestFirst() {
            synchronized (entries) {
                return new ArrayList<>(entries);
            }
        }

        private static String excerpt(CloudEvent event) {
            byte[] data = CloudEvents.dataBytes(event);
            String text = new String(data, 0, Math.min(data.length, EXCERPT), StandardCharsets.UTF_8);
            return data.length > EXCERPT ? text + "…" : text;
        }
    }
}
