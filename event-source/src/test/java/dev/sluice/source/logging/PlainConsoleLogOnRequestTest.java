package dev.sluice.source.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.logging.ConsoleLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The prod profile with the documented switch, QUARKUS_LOG_CONSOLE_JSON_ENABLED=false: plain lines again. */
@QuarkusTest
@TestProfile(PlainConsoleLogOnRequestTest.ProdWithoutJson.class)
class PlainConsoleLogOnRequestTest {

    public static class ProdWithoutJson implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.console.json.enabled", "false");
        }
    }

    @Test
    void aLineIsPlainText() {
        String line = ConsoleLog.format("dev.sluice.source.EventSourceReconciler",
                "Stopped source shop/webhooks/orders");

        assertThat(line).doesNotStartWith("{").contains("INFO").endsWith("Stopped source shop/webhooks/orders");
    }
}
