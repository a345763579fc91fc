package dev.sluice.trigger.filter;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

import io.cloudevents.CloudEvent;

/**
 * Knative's {@code exact}, {@code prefix} and {@code suffix}: every named attribute or extension is present and
 * its value, written as CloudEvents writes it, compares as the dialect says.
 */
final class AttributeFilter implements EventFilter {
    private final Map<String, String> expected;
    private final BiPredicate<String, String> comparison;

    private AttributeFilter(Map<String, String> expected, BiPredicate<String, String> comparison) {
        this.expected = Map.copyOf(expected);
        this.comparison = comparison;
    }

    static AttributeFilter exact(Map<String, String> expected) {
        return new AttributeFilter(expected, String::equals);
    }

    static AttributeFilter prefix(Map<String, String> expected) {
        return new AttributeFilter(expected, String::startsWith);
    }

    static AttributeFilter suffix(Map<String, String> expected) {
        return new AttributeFilter(expected, String::endsWith);
    }

    @Override
    public boolean test(CloudEvent event) {
        return expected.entrySet().stream().allMatch(e -> {
            String actual = valueOf(event, e.getKey());
            return actual != null && comparison.test(actual, e.getValue());
        });
    }

    private static String valueOf(CloudEvent event, String name) {
        Object value;
        try {
            value = event.getAttribute(name);
        } catch (IllegalArgumentException notAnAttribute) {
            value = event.getExtension(name);
        }
        return value == null ? null : Objects.toString(value);
    }
}
