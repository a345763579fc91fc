package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

class CorrelationWindowTest {
    private final MovableClock clock = new MovableClock();
    private final CorrelationWindow window = new CorrelationWindow(Duration.ofSeconds(60), clock);

    @Test
    void holdsTheLatestEventOfEachInputUntilTheWindowEnds() {
        window.hold(List.of("a"), event("a1"));
        clock.advance(Duration.ofSeconds(30));
        window.hold(List.of("b"), event("b1"));
        window.hold(List.of("b"), event("b2"));

        assertThat(window.current()).containsOnlyKeys("a", "b");
        assertThat(window.current().get("b").getId()).isEqualTo("b2");

        clock.advance(Duration.ofSeconds(30));
        assertThat(window.current()).containsOnlyKeys("b");

        clock.advance(Duration.ofSeconds(30));
        assertThat(window.current()).isEmpty();
    }

    @Test
    void oneEventCanBeHeldForSeveralInputsAndClearingEmptiesTheWindow() {
        window.hold(List.of("a", "b"), event("x"));
        assertThat(window.current()).containsOnlyKeys("a", "b");

        window.clear();

        assertThat(window.current()).isEmpty();
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType("t").build();
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
