package dev.sluice.trigger.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.trigger.Filter;

/** Turns a subscriber's {@code filters} (Knative's subscriptions-API dialects) into one filter, once per generation. */
public final class EventFilters {
    /** CloudEvents attribute and extension names: lower-case letters and digits. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]+");
    private static final EventFilter EVERYTHING = event -> true;

    private EventFilters() {
    }

    /**
     * All of {@code filters} must pass; none passes every event.
     *
     * @param field the path of the list, e.g. {@code spec.subscribers[0].filters}
     * @throws InvalidSpecException {@code FilterInvalid} naming the filter at fault
     */
    public static EventFilter allOf(List<Filter> filters, String field) {
        EventFilter all = EVERYTHING;
        for (int i = 0; i < filters.size(); i++) {
            all = all.and(of(filters.get(i), field + "[" + i + "]"));
        }
        return all;
    }

    private static EventFilter of(Filter filter, String field) {
        List<String> dialects = dialectsOf(filter);
        if (dialects.size() != 1) {
            throw new InvalidSpecException(Reasons.FILTER_INVALID, field, "a filter sets exactly one of exact, prefix, suffix,"
                    + " all, any, not, cesql; this one sets " + (dialects.isEmpty() ? "none" : dialects));
        }
        return switch (dialects.get(0)) {
            case "exact" -> AttributeFilter.exact(attributes(filter.getExact(), field + ".exact", false));
            case "prefix" -> AttributeFilter.prefix(attributes(filter.getPrefix(), field + ".prefix", true));
            case "suffix" -> AttributeFilter.suffix(attributes(filter.getSuffix(), field + ".suffix", true));
            case "all" -> allOf(filter.getAll(), field + ".all");
            case "any" -> anyOf(filter.getAny(), field + ".any");
            case "not" -> of(filter.getNot(), field + ".not").negate();
            default -> CesqlFilter.parse(filter.getCesql(), field + ".cesql");
        };
    }

    private static EventFilter anyOf(List<Filter> filters, String field) {
        EventFilter any = event -> false;
        for (int i = 0; i < filters.size(); i++) {
            any = any.or(of(filters.get(i), field + "[" + i + "]"));
        }
        return any;
    }

    private static List<String> dialectsOf(Filter filter) {
        List<String> set = new ArrayList<>();
        if (filter == null) {
            return set;
        }
        if (!filter.getExact().isEmpty()) {
            set.add("exact");
        }
        if (!filter.getPrefix().isEmpty()) {
            set.add("prefix");
        }
        if (!filter.getSuffix().isEmpty()) {
            set.add("suffix");
        }
        if (!filter.getAll().isEmpty()) {
            set.add("all");
        }
        if (!filter.getAny().isEmpty()) {
            set.add("any");
        }
        if (filter.getNot() != null) {
            set.add("not");
        }
        if (filter.getCesql() != null && !filter.getCesql().isBlank()) {
            set.add("cesql");
        }
        return set;
    }

    private static Map<String, String> attributes(Map<String, String> values, String field, boolean needsValue) {
        values.forEach((name, value) -> {
            if (!ATTRIBUTE.matcher(name).matches()) {
                throw new InvalidSpecException(Reasons.FILTER_INVALID, field + "." + name,
                        "not a CloudEvents attribute name (lower-case letters and digits)");
            }
            if (value == null || (needsValue && value.isEmpty())) {
                throw new InvalidSpecException(Reasons.FILTER_INVALID, field + "." + name, "needs a value");
            }
        });
        return values;
    }
}
