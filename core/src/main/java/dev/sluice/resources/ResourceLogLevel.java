package dev.sluice.resources;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

import org.jboss.logging.Logger;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;

/**
 * OpenFunction's {@code spec.logLevel} for one resource: the resource's per-event lines are logged under the category
 * {@code dev.sluice.{kind}.{namespace}.{name}}, and this sets that category's level, so one noisy resource can be
 * turned up without turning up the service. OpenFunction's verbosity numbers map to levels: "0" and "1" INFO, "2"
 * DEBUG, "3" and above TRACE; a level name is accepted too. Without {@code logLevel} the category inherits the
 * service's level. Quarkus's build-time {@code quarkus.log.min-level} (DEBUG) still bounds what can be logged.
 */
public final class ResourceLogLevel {
    // JUL levels with the same values as JBoss Log Manager's ERROR, WARN, INFO, DEBUG and TRACE
    private static final Map<String, Level> NAMES = Map.of("ERROR", Level.SEVERE, "WARN", Level.WARNING,
            "INFO", Level.INFO, "DEBUG", Level.FINE, "TRACE", Level.FINER);

    private ResourceLogLevel() {
    }

    /** The category of one resource's per-event log lines, e.g. {@code dev.sluice.trigger.default.my-trigger}. */
    public static String category(String kind, String namespace, String name) {
        return "dev.sluice." + kind + "." + (namespace == null ? "cluster" : namespace) + "." + name;
    }

    /** The logger of one resource's per-event lines. */
    public static Logger logger(String kind, String namespace, String name) {
        return Logger.getLogger(category(kind, namespace, name));
    }

    /**
     * Sets the level of the resource's category, or lets it inherit again when {@code logLevel} is blank.
     *
     * @throws InvalidSpecException {@code InvalidLogLevel} naming {@code spec.logLevel}
     */
    public static void apply(String kind, String namespace, String name, String logLevel) {
        java.util.logging.Logger.getLogger(category(kind, namespace, name)).setLevel(parse(logLevel));
    }

    /** The level of a {@code logLevel} value; null (inherit) when blank. */
    static Level parse(String logLevel) {
        if (logLevel == null || logLevel.isBlank()) {
            return null;
        }
        String value = logLevel.trim();
        if (value.chars().allMatch(Character::isDigit) && value.length() < 4) {
            int verbosity = Integer.parseInt(value);
            return verbosity <= 1 ? NAMES.get("INFO") : verbosity == 2 ? NAMES.get("DEBUG") : NAMES.get("TRACE");
        }
        Level level = NAMES.get(value.toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new InvalidSpecException(Reasons.INVALID_LOG_LEVEL, "spec.logLevel", "'" + value
                    + "' is neither OpenFunction's verbosity (0-3) nor one of " + NAMES.keySet());
        }
        return level;
    }
}
