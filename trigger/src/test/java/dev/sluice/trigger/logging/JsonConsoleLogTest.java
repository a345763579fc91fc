package dev.sluice.trigger.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.ResourceKey;
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
        ResourceKey key = new ResourceKey("Trigger", "shop", "big-orders");
        String line = ConsoleLog.format("dev.sluice.trigger.TriggerReconciler", key + " generation 1 stopped");

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("service").asText()).isEqualTo("sluice-trigger");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.sluice.trigger.TriggerReconciler");
        assertThat(json.path("message").asText()).isEqualTo("Trigger/shop/big-orders generation 1 stopped");
        assertThat(json.path("timestamp").asText()).isNotEmpty();
    }
}
