package dev.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RetryingPublisherTest {

    @ParameterizedTest(name = "after {0} failures wait {1} ms")
    @CsvSource(textBlock = """
            1, 200
            2, 400
            3, 800
            6, 6400
            7, 10000
            60, 10000
            """)
    void theWaitDoublesUpToTheCap(int failures, long millis) {
        RetryingPublisher publisher = new RetryingPublisher(new EventKey("n", "s", "e"), null,
                Executors.newSingleThreadScheduledExecutor(), Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofSeconds(10), new SimpleMeterRegistry().counter("retries"),
                new SimpleMeterRegistry().counter("refused"));
        assertThat(publisher.backoff(failures)).isEqualTo(Duration.ofMillis(millis));
    }
}
