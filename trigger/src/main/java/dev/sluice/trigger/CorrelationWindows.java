package dev.sluice.trigger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusTable;
import dev.sluice.trigger.CorrelationWindow.Held;
import io.cloudevents.jackson.JsonFormat;

/**
 * One subscriber's correlation windows, one per partition number of its inputs. Events of both inputs of a join
 * meet in one window when they have the same partition number: the bus gives a member the same partitions of every
 * input topic (Kafka's range assignor), and producers put correlated events on the same partition by giving them
 * the same key ({@code partitionkey} or {@code subject}) on topics with as many partitions.
 * <p>
 * Where the bus keeps tables (Kafka), every change of a window is saved under
 * {@code {namespace}/{trigger}/{subscriber}/{partition}} in the table {@value #TABLE}, before the event that made it
 * is committed; a member that is assigned a partition (at start, or from another replica) reads the partition's
 * window back first. A window saved by another generation of the Trigger is not restored: a new spec starts empty.
 */
final class CorrelationWindows {
    /** The bus table of every Trigger's windows: a compacted topic on Kafka. */
    static final String TABLE = "sluice-trigger-windows";
    private static final Logger LOG = Logger.getLogger(CorrelationWindows.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat EVENTS = new JsonFormat();

    private final String key;
    private final long generation;
    private final Duration length;
    private final Clock clock;
    private final Optional<BusTable> table;
    private final Map<Integer, CorrelationWindow> windows = new ConcurrentHashMap<>();

    /**
     * @param key the subscriber's key in the table, {@link #keyOf} and its index
     * @param table where the windows are saved; empty to keep them in memory only
     */
    CorrelationWindows(String key, long generation, Duration length, Clock clock, Optional<BusTable> table) {
        this.key = key;
        this.generation = generation;
        this.length = length;
        this.clock = clock;
        this.table = table;
    }

    /** Where a Trigger's windows are kept in the table: every key of its subscribers starts with it. */
    static String keyOf(ResourceKey trigger) {
        return trigger.namespace() + "/" + trigger.name() + "/";
    }

    CorrelationWindow of(int partition) {
        return windows.computeIfAbsent(partition, p -> new CorrelationWindow(length, clock));
    }

    /** Saves the partition's window if it changed; the stage completes once the table has it. */
    CompletionStage<Void> save(int partition) {
        if (table.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return of(partition).saveIfChanged(held -> table.get().put(key + partition, encode(held)));
    }

    /** Replaces the windows of these partitions with what {@code stored} (the table's rows) holds for them. */
    void restore(Set<Integer> partitions, Map<String, byte[]> stored) {
        for (int partition : partitions) {
            Map<String, Held> held = Optional.ofNullable(stored.get(key + partition)).map(this::decode).orElse(Map.of());
            windows.put(partition, new CorrelationWindow(length, clock, held));
            if (!held.isEmpty()) {
                LOG.debugf("%s%d: restored %d held events", key, partition, held.size());
            }
        }
    }

    private byte[] encode(Map<String, Held> held) {
        ObjectNode root = JSON.createObjectNode().put("generation", generation);
        ObjectNode inputs = root.putObject("held");
        try {
            for (Map.Entry<String, Held> entry : held.entrySet()) {
                inputs.putObject(entry.getKey()).put("expires", entry.getValue().expires().toString())
                        .set("event", JSON.readTree(EVENTS.serialize(entry.getValue().event())));
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the window " + key, e);
        }
    }

    /** The events held in a stored window of this generation; none for another generation or an unreadable row. */
    private Map<String, Held> decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root.path("generation").asLong(-1) != generation) {
                return Map.of();
            }
            Map<String, Held> held = new HashMap<>();
            var inputs = root.path("held").fields();
            while (inputs.hasNext()) {
                var input = inputs.next();
                held.put(input.getKey(), new Held(EVENTS.deserialize(JSON.writeValueAsBytes(input.getValue().path("event"))),
                        Instant.parse(input.getValue().path("expires").asText())));
            }
            return held;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: a stored window could not be read (%s); starting empty", key, e.getMessage());
            return Map.of();
        }
    }
}
