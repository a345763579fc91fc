package dev.sluice.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written either as ISO-8601 ({@code PT0.5S}, Knative) or Go-style ({@code 500ms}, {@code 60s}, {@code 1m}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param field the field's path, named in the error
     * @throws InvalidSpecException when the text is neither form
     */
    public static Duration parse(String text, Duration fallback, String field) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double value = Double.parseDouble(m.group(1));
            long millis = switch (m.group(2)) {
                case "ms" -> Math.round(value);
                case "s" -> Math.round(value * 1_000);
                case "m" -> Math.round(value * 60_000);
                default -> Math.round(value * 3_600_000);
            };
            return Duration.ofMillis(millis);
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new InvalidSpecException(Reasons.INVALID_DURATION, field,
                    "'" + text + "' is not a duration (write PT0.5S, 500ms, 60s or 1m)");
        }
    }
}
