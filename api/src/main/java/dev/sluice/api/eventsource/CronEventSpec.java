package dev.sluice.api.eventsource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** A schedule whose ticks are events (OpenFunction's CronSpec: Dapr's cron binding syntax), plus a time zone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CronEventSpec {
    @JsonPropertyDescription("Dapr's cron syntax: six fields with seconds (\"0 */5 * * * *\"), five without, @every 10s (multiples of the duration since the Unix epoch), or @yearly, @monthly, @weekly, @daily, @midnight, @hourly.")
    @Required
    private String schedule;
    @JsonPropertyDescription("IANA time zone the schedule is read in, for example Europe/Berlin; UTC when absent.")
    private String timeZone;

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
