package dev.sluice.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sluice.logging.ConsoleLog;
import dev.sluice.logging.ProdLogProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Local mode run with the prod profile, as {@code run-local.sh} runs it: the event-source and trigger modules bring
 * quarkus-logging-json, yet the console keeps the short plain lines of standalone's own format.
 */
@QuarkusTest
@TestProfile(ProdLogProfile.class)
class PlainConsoleLogTest {

    @Test
    void aLineIsPlainTextInStandalonesFormat() {
        String line = ConsoleLog.format("dev.sluice.resources.LoggingStatusWriter",
                "EventSource/default/shop is Ready (generation 1)");

        // %d{HH:mm:ss.SSS} %-5p [%c{1.}] %s%e%n
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[d\\.s\\.r\\.LoggingStatusWriter\\] "
                + "EventSource/default/shop is Ready \\(generation 1\\)");
    }
}
