package dev.sluice.source.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.api.InvalidSpecException;

class CronScheduleTest {

    @ParameterizedTest(name = "{0} in {1}: after {2} comes {3}")
    @CsvSource(delimiter = '|', textBlock = """
            @every 10s       |               | 2026-11-30T08:00:03Z | 2026-11-30T08:00:10Z
            @every 10s       |               | 2026-11-30T08:00:10Z | 2026-11-30T08:00:20Z
            @every 1m30s     |               | 2026-11-30T08:00:00Z | 2026-11-30T08:01:30Z
            @every 500ms     |               | 2026-11-30T08:00:00.2Z | 2026-11-30T08:00:00.500Z
            @daily           |               | 2026-11-30T08:00:00Z | 2026-12-01T00:00:00Z
            @hourly          |               | 2026-11-30T08:00:00Z | 2026-11-30T09:00:00Z
            @weekly          |               | 2026-11-30T08:00:00Z | 2026-12-06T00:00:00Z
            @monthly         |               | 2026-11-30T08:00:00Z | 2026-12-01T00:00:00Z
            @yearly          |               | 2026-11-30T08:00:00Z | 2027-01-01T00:00:00Z
            @daily           | Europe/Berlin | 2026-11-30T08:00:00Z | 2026-11-30T23:00:00Z
            */15 * * * * *   |               | 2026-11-30T08:00:07Z | 2026-11-30T08:00:15Z
            0 30 9 * * 1-5   |               | 2026-11-30T08:00:00Z | 2026-11-30T09:30:00Z
            0 30 9 * * MON-FRI | America/New_York | 2026-11-30T08:00:00Z | 2026-11-30T14:30:00Z
            */5 * * * *      |               | 2026-11-30T08:01:00Z | 2026-11-30T08:05:00Z
            """)
    void daprSyntaxTicksAtTheExpectedTimes(String schedule, String zone, String after, String next) {
        assertThat(CronSchedule.parse(schedule, zone, "spec.cron.t").next(Instant.parse(after)))
                .contains(Instant.parse(next));
    }

    @ParameterizedTest(name = "{0} / {1} is refused naming {2}")
    @CsvSource(delimiter = '|', textBlock = """
            @every soon      |              | spec.cron.t.schedule
            @every 10ms      |              | spec.cron.t.schedule
            61 * * * * *     |              | spec.cron.t.schedule
            @fortnightly     |              | spec.cron.t.schedule
            ''               |              | spec.cron.t.schedule
            @daily           | Mars/Olympus | spec.cron.t.timeZone
            """)
    void badSchedulesAndZonesNameTheirField(String schedule, String zone, String field) {
        assertThatThrownBy(() -> CronSchedule.parse(schedule, zone, "spec.cron.t"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("InvalidSchedule");
                    assertThat(e.field()).isEqualTo(field);
                });
    }
}
