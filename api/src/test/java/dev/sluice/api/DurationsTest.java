package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({ "PT0.5S,500", "500ms,500", "60s,60000", "1.5s,1500", "2m,120000", "1h,3600000", "PT1M,60000" })
    void readsIsoAndShortForms(String text, long millis) {
        assertThat(Durations.parse(text, Duration.ZERO, "spec.window")).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({ "soon", "5 minutes", "-1s" })
    void refusesOthersNamingTheField(String text) {
        assertThatThrownBy(() -> Durations.parse(text, Duration.ZERO, "spec.delivery.backoffDelay"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("spec.delivery.backoffDelay")
                .extracting(e -> ((InvalidSpecException) e).reason()).isEqualTo("InvalidDuration");
    }

    @ParameterizedTest
    @CsvSource(value = { "''", "'  '" })
    void blankMeansTheDefault(String text) {
        assertThat(Durations.parse(text, Duration.ofSeconds(60), "spec.window")).isEqualTo(Duration.ofSeconds(60));
    }
}
