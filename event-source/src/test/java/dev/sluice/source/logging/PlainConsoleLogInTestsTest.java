package dev.sluice.source.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sluice.logging.ConsoleLog;
import io.quarkus.test.junit.QuarkusTest;

/** The test profile keeps plain lines, so that a failing build's output can be read. */
@QuarkusTest
class PlainConsoleLogInTestsTest {

    @Test
    void aLineIsPlainText() {
        String line = ConsoleLog.format("dev.sluice.source.EventSourceReconciler",
                "Stopped source shop/webhooks/orders");

        assertThat(line).doesNotStartWith("{").endsWith("Stopped source shop/webhooks/orders");
    }
}
