package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Durable correlation: the local-mode app stops between input {@code a} and input {@code b} of a join, once with
 * SIGKILL and once with SIGTERM. After each restart on the same data folder, {@code b} still fires {@code a && b},
 * exactly once, counted by id at the sink; nothing else fires.
 */
class CorrelationRestartIT {

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    @Test
    void aJoinHalfDoneBeforeARestartFiresOnceAfterIt() throws Exception {
        try (RecordingSink sink = RecordingSink.start()) {
            Files.writeString(sluice.resourcesDir().resolve("pairs.yaml"), """
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventSource
                    metadata: {name: sensors, namespace: default}
                    spec:
                      eventBus: default
                      http:
                        a: {}
                        b: {}
                    ---
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: Trigger
                    metadata: {name: pairs, namespace: default}
                    spec:
                      eventBus: default
                      inputs:
                        a: {eventSource: sensors, event: a}
                        b: {eventSource: sensors, event: b}
                      subscribers:
                      - condition: "a && b"
                        sink: {uri: "%s"}
                    """.formatted(sink.uri()));
            sluice.start("EventSource/default/sensors", "Trigger/default/pairs");

            post("a", "a-1");
            sluice.kill();
            sluice.restart();
            post("b", "b-1");
            await("b-1 fires a && b after the SIGKILL").atMost(Duration.ofSeconds(120)).until(() -> sink.ids().contains("b-1"));

            post("a", "a-2");
            sluice.stop();
            sluice.restart();
            post("b", "b-2");
            await("b-2 fires a && b after the SIGTERM").atMost(Duration.ofSeconds(120)).until(() -> sink.ids().contains("b-2"));

            // a lone b fires nothing: the pair before it was cleared when it fired
            post("b", "b-3");
            sink.awaitQuiet(Duration.ofSeconds(3));
            System.out.printf("CORRELATION: delivered=%s duplicates=%d%n", sink.ids(), sink.duplicates());
            assertThat(sink.ids()).isEqualTo(Set.of("b-1", "b-2"));
            assertThat(sink.duplicates()).as("pairs fired twice").isZero();
        }
    }

    private void post(String event, String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(sluice.ingress("default", "sensors", event))
                .header("content-type", "application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/sensors").header("ce-type", "reading").header("ce-subject", "room-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> response = sluice.client().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s %s: %s", event, id, response.body()).isEqualTo(202);
    }
}
