package dev.sluice.source.cron;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;

/**
 * A schedule in Dapr's cron binding syntax, parsed by cron-utils: six fields with seconds, five without (read as
 * second 0), the nicknames {@code @yearly} to {@code @hourly}, and {@code @every <duration>}. An {@code @every}
 * schedule ticks at whole multiples of its duration since the Unix epoch, so its tick times, and with them the
 * events' ids, are the same whenever Sluice starts.
 */
public final class CronSchedule {
    private static final CronDefinition DAPR = CronDefinitionBuilder.defineCron()
            .withSeconds().and()
            .withMinutes().and()
            .withHours().and()
            .withDayOfMonth().supportsL().supportsW().supportsLW().supportsQuestionMark().and()
            .withMonth().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).supportsHash()
            .supportsL().supportsQuestionMark().and()
            .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
            .withSupportedNicknameWeekly().withSupportedNicknameMidnight().withSupportedNicknameDaily()
            .withSupportedNicknameHourly()
            .instance();
    private static final CronParser PARSER = new CronParser(DAPR);
    private static final String EVERY = "@every ";

    private final String text;
    private final ZoneId zone;
    private final Duration every;
    private final ExecutionTime executions;

    private CronSchedule(String text, ZoneId zone, Duration every, ExecutionTime executions) {
        this.text = text;
        this.zone = zone;
        this.every = every;
        this.executions = executions;
    }

    /**
     * @param field the path of the event's spec, e.g. {@code spec.cron.tick}, for errors
     * @throws InvalidSpecException {@code InvalidSchedule} naming {@code schedule} or {@code timeZone}
     */
    public static CronSchedule parse(String schedule, String timeZone, String field) {
        if (schedule == null || schedule.isBlank()) {
            throw new InvalidSpecException(Reasons.INVALID_SCHEDULE, field + ".schedule",
                    "set a schedule, e.g. \"@every 10s\", \"@daily\" or \"0 */5 * * * *\"");
        }
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw new InvalidSpecException(Reasons.INVALID_SCHEDULE, field + ".timeZone",
                    "not a time zone: '" + timeZone + "'; use an IANA name such as Europe/Berlin");
        }
        String text = schedule.trim();
        if (text.startsWith(EVERY)) {
            return new CronSchedule(text, zone, every(text.substring(EVERY.length()).trim(), field), null);
        }
        String fields = text.startsWith("@") || text.split("\\s+").length != 5 ? text : "0 " + text;
        try {
            return new CronSchedule(text, zone, null, ExecutionTime.forCron(PARSER.parse(fields)));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(Reasons.INVALID_SCHEDULE, field + ".schedule",
                    "not a cron schedule: '" + text + "': " + e.getMessage());
        }
    }

    /** A Go duration as Dapr writes it after {@code @every}: {@code 10s}, {@code 1m30s}, {@code 2h}, {@code 500ms}. */
    private static Duration every(String duration, String field) {
        Duration parsed;
        try {
            parsed = duration.endsWith("ms") ? Duration.ofMillis(Long.parseLong(duration.substring(0, duration.length() - 2)))
                    : Duration.parse("PT" + duration.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException e) {
            parsed = Duration.ZERO;
        }
        if (parsed.compareTo(Duration.ofMillis(100)) < 0) {
            throw new InvalidSpecException(Reasons.INVALID_SCHEDULE, field + ".schedule", "'@every " + duration
                    + "' is not a duration of at least 100ms; write it as 10s, 1m30s, 2h or 500ms");
        }
        return parsed;
    }

    /** The first tick strictly after {@code after}; empty when the schedule never ticks again. */
    public Optional<Instant> next(Instant after) {
        if (every != null) {
            long period = every.toMillis();
            return Optional.of(Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), period) * period + period));
        }
        return executions.nextExecution(after.atZone(zone)).map(t -> t.toInstant());
    }

    @Override
    public String toString() {
        return text + (ZoneOffset.UTC.equals(zone) ? "" : " (" + zone + ")");
    }
}
