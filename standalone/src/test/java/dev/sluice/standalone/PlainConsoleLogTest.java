package dev.sluice.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.logging.ConsoleLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Local mode run with the prod profile, as {@code run-local.sh} runs it: the event-source and trigger modules bring
 * quarkus-logging-json, yet the console keeps the short plain lines of standalone's own format.
 */
@QuarkusTest
@TestProfile(PlainConsoleLogTest.Prod.class)
class PlainConsoleLogTest {

    public static class Prod implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path empty = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "no-resources-");
                return Map.of("sluice.resources.dir", empty.toAbsolutePath().toString(), "quarkus.http.test-port", "0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aLineIsPlainTextInStandalonesFormat() {
        String line = ConsoleLog.format("dev.sluice.resources.LoggingStatusWriter",
                "EventSource/default/shop is Ready (generation 1)");

        // %d{HH:mm:ss.SSS} %-5p [%c{1.}] %s%e%n
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[d\\.s\\.r\\.LoggingStatusWriter\\] "
                + "EventSource/default/shop is Ready \\(generation 1\\)");
    }
}
