package dev.sluice.source.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.logging.ConsoleLog;
import dev.sluice.logging.ProdLogProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Run with the prod profile, as in a cluster: each console line is one JSON object naming the service. */
@QuarkusTest
@TestProfile(ProdLogProfile.class)
class JsonConsoleLogTest {

    @Test
    void aLineIsOneJsonObjectWithTheServiceAndTheResource() throws Exception {
        String line = ConsoleLog.format("dev.sluice.source.EventSourceReconciler",
                "Stopped source shop/webhooks/orders");

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("service").asText()).isEqualTo("sluice-event-source");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.sluice.source.EventSourceReconciler");
        assertThat(json.path("message").asText()).isEqualTo("Stopped source shop/webhooks/orders");
        assertThat(json.path("timestamp").asText()).isNotEmpty();
    }
}
