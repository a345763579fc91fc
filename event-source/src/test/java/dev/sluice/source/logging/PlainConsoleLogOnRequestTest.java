package dev.sluice.source.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sluice.logging.ConsoleLog;
import dev.sluice.logging.ProdLogProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The prod profile with the documented switch, QUARKUS_LOG_CONSOLE_JSON_ENABLED=false: plain lines again. */
@QuarkusTest
@TestProfile(ProdLogProfile.WithoutJson.class)
class PlainConsoleLogOnRequestTest {

    @Test
    void aLineIsPlainText() {
        String line = ConsoleLog.format("dev.sluice.source.EventSourceReconciler",
                "Stopped source shop/webhooks/orders");

        assertThat(line).doesNotStartWith("{").contains("INFO").endsWith("Stopped source shop/webhooks/orders");
    }
}
