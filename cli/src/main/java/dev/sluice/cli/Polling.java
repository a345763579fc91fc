package dev.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;

/** Follows a replay or redrive until it leaves {@code running}, drawing its progress. */
final class Polling {
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Polling() {
    }

    static JsonNode until(ManagementClient client, String path, PrintWriter err, ToLongFunction<JsonNode> done,
            Function<JsonNode, String> counts) {
        Progress progress = new Progress(err);
        JsonNode state = client.get(path);
        while (true) {
            progress.show(done.applyAsLong(state), state.path("total").asLong(), counts.apply(state));
            if (!"running".equals(state.path("state").asText())) {
                progress.end();
                return state;
            }
            LockSupport.parkNanos(INTERVAL.toNanos()); // the pace of the redraw, not a wait for a condition
            state = client.get(path);
        }
    }
}
