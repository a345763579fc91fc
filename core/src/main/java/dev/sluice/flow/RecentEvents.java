package dev.sluice.flow;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * A bounded ring of entries; recording is safe from any thread and takes a short lock. Recording is on every
     * event's path, so it copies references and the first {@value #EXCERPT} bytes of data, and formats nothing:
     * the strings of an {@link Entry} are made when the flow page asks.
     */
    public static final class Ring {
        static final Ring DISCARDING = new Ring(0);

        private final Recorded[] slots;
        private int next;
        private int count;

        Ring(int capacity) {
            this.slots = new Recorded[capacity];
        }

        public void record(CloudEvent event, String outcome) {
            if (slots.length == 0) {
                return;
            }
            byte[] data = CloudEvents.dataBytes(event);
            Recorded recorded = new Recorded(event.getId(), event.getType(), event.getSource(), event.getTime(),
                    System.currentTimeMillis(), Arrays.copyOf(data, Math.min(data.length, EXCERPT)),
                    data.length > EXCERPT, outcome);
            synchronized (this) {
                slots[next] = recorded;
                next = (next + 1) % slots.length;
                count = Math.min(count + 1, slots.length);
            }
        }

        List<Entry> newestFirst() {
            Recorded[] newest = new Recorded[slots.length];
            int n;
            synchronized (this) {
                n = count;
                for (int i = 0; i < n; i++) {
                    newest[i] = slots[Math.floorMod(next - 1 - i, slots.length)];
                }
            }
            List<Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(newest[i].entry());
            }
            return entries;
        }
    }

    /** What {@link Ring#record} keeps of one event, unformatted. */
    private record Recorded(String id, String type, URI source, OffsetDateTime time, long seenAtMillis,
            byte[] excerpt, boolean truncated, String outcome) {

        Entry entry() {
            String text = new String(excerpt, StandardCharsets.UTF_8);
            return new Entry(id, type, String.valueOf(source), time == null ? null : time.toString(),
                    Instant.ofEpochMilli(seenAtMillis).toString(), truncated ? text + "…" : text, outcome);
        }
    }
}
