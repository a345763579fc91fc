package dev.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class HttpSinkTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSink.retryAfter("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(HttpSink.retryAfter("Sun, 01 Mar 2026 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(HttpSink.retryAfter("Sun, 01 Mar 2026 09:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(HttpSink.retryAfter("soon", NOW)).isEmpty();
        assertThat(HttpSink.retryAfter("-3", NOW)).isEmpty();
        assertThat(HttpSink.retryAfter(null, NOW)).isEmpty();
    }
}
