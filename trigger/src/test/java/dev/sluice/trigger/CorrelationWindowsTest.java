package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusTable;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * A window saved by one replica (or run) is what the next owner of its partition reads back: same events, same
 * expiry, only for the same generation, and a cleared window stays cleared.
 */
class CorrelationWindowsTest {
    private static final Duration LENGTH = Duration.ofSeconds(60);
    private final CorrelationWindowTest.MovableClock clock = new CorrelationWindowTest.MovableClock();
    private final FakeTable table = new FakeTable();

    @Test
    void theNextOwnerOfAPartitionReadsBackWhatThePreviousOneHeld() {
        CorrelationWindows first = windows(1);
        first.of(3).hold(List.of("a"), event("a-1"));
        first.of(4).hold(List.of("b"), event("b-9"));
        first.save(3).toCompletableFuture().join();
        first.save(4).toCompletableFuture().join();
        assertThat(table.rows).containsOnlyKeys("default/t/0/3", "default/t/0/4");

        CorrelationWindows next = windows(1);
        next.restore(Set.of(3), table.read(CorrelationWindows.keyOf(new ResourceKey("Trigger", "default", "t"))));

        CloudEvent restored = next.of(3).current().get("a");
        assertThat(restored.getId()).isEqualTo("a-1");
        assertThat(new String(restored.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(next.of(4).current()).as("not assigned: not read").isEmpty();
        clock.advance(LENGTH);
        assertThat(next.of(3).current()).as("the original expiry holds").isEmpty();
    }

    @Test
    void anotherGenerationStartsEmptyAndAClearedWindowIsSavedEmpty() {
        CorrelationWindows first = windows(1);
        first.of(0).hold(List.of("a"), event("a-1"));
        first.save(0).toCompletableFuture().join();

        CorrelationWindows newSpec = windows(2);
        newSpec.restore(Set.of(0), table.read("default/t/"));
        assertThat(newSpec.of(0).current()).isEmpty();

        first.of(0).clear();
        first.save(0).toCompletableFuture().join();
        CorrelationWindows again = windows(1);
        again.restore(Set.of(0), table.read("default/t/"));
        assertThat(again.of(0).current()).isEmpty();
    }

    @Test
    void anUnchangedWindowIsNotWrittenAgain() {
        CorrelationWindows windows = windows(1);
        windows.of(0).hold(List.of("a"), event("a-1"));
        windows.save(0).toCompletableFuture().join();
        windows.save(0).toCompletableFuture().join();
        windows.of(0).hold(List.of(), event("filtered"));
        windows.save(0).toCompletableFuture().join();

        assertThat(table.puts).isEqualTo(1);
    }

    private CorrelationWindows windows(long generation) {
        return new CorrelationWindows("default/t/0/", generation, LENGTH, clock, Optional.of(table));
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType("t")
                .withDataContentType("application/json").withData("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
    }

    /** A bus table in memory. */
    static final class FakeTable implements BusTable {
        final Map<String, byte[]> rows = new TreeMap<>();
        int puts;

        @Override
        public synchronized CompletionStage<Void> put(String key, byte[] value) {
            puts++;
            if (value == null) {
                rows.remove(key);
            } else {
                rows.put(key, value);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized Map<String, byte[]> read(String prefix) {
            Map<String, byte[]> read = new TreeMap<>();
            rows.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    read.put(key, value);
                }
            });
            return read;
        }
    }
}
