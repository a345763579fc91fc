package dev.sluice.trigger.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.trigger.Filter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

class EventFiltersTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CloudEvent ORDER = CloudEventBuilder.v1().withId("o-1").withSource(URI.create("/shop/eu"))
            .withType("shop.order.created").withSubject("orders/17").withExtension("region", "eu")
            .withExtension("priority", 3).build();

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("[]", true),
                Arguments.of("[{exact: {type: shop.order.created}}]", true),
                Arguments.of("[{exact: {type: shop.order}}]", false),
                Arguments.of("[{exact: {type: shop.order.created, region: eu}}]", true),
                Arguments.of("[{exact: {region: us}}]", false),
                Arguments.of("[{exact: {missing: x}}]", false),
                Arguments.of("[{exact: {priority: '3'}}]", true),
                Arguments.of("[{prefix: {type: shop.order.}}]", true),
                Arguments.of("[{prefix: {source: /billing}}]", false),
                Arguments.of("[{suffix: {subject: /17}}]", true),
                Arguments.of("[{suffix: {subject: /18}}]", false),
                Arguments.of("[{prefix: {type: shop.}}, {exact: {region: us}}]", false),
                Arguments.of("[{all: [{prefix: {type: shop.}}, {exact: {region: eu}}]}]", true),
                Arguments.of("[{all: [{prefix: {type: shop.}}, {exact: {region: us}}]}]", false),
                Arguments.of("[{any: [{exact: {region: us}}, {exact: {region: eu}}]}]", true),
                Arguments.of("[{any: [{exact: {region: us}}, {exact: {region: ap}}]}]", false),
                Arguments.of("[{not: {exact: {region: us}}}]", true),
                Arguments.of("[{not: {exact: {region: eu}}}]", false),
                Arguments.of("[{cesql: \"type LIKE 'shop.order.%' AND region = 'eu'\"}]", true),
                Arguments.of("[{cesql: \"priority > 5\"}]", false),
                Arguments.of("[{cesql: \"EXISTS subject AND subject = 'orders/17'\"}]", true),
                Arguments.of("[{not: {cesql: \"region IN ('us', 'ap')\"}}]", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void passesTheEventsKnativeWould(String filters, boolean passes) throws IOException {
        assertThat(EventFilters.allOf(parse(filters), "spec.subscribers[0].filters").test(ORDER)).isEqualTo(passes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void anInvalidFilterNamesItsField(String filters, String field, String message) throws IOException {
        List<Filter> parsed = parse(filters);
        assertThatThrownBy(() -> EventFilters.allOf(parsed, "spec.subscribers[1].filters"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("FilterInvalid");
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[{exact: {type: a}, prefix: {type: b}}]", "spec.subscribers[1].filters[0]",
                        "[exact, prefix]"),
                Arguments.of("[{}]", "spec.subscribers[1].filters[0]", "none"),
                Arguments.of("[{exact: {Type: a}}]", "spec.subscribers[1].filters[0].exact.Type", "attribute name"),
                Arguments.of("[{prefix: {type: ''}}]", "spec.subscribers[1].filters[0].prefix.type", "needs a value"),
                Arguments.of("[{all: [{exact: {type: a}}, {cesql: \"type =\"}]}]",
                        "spec.subscribers[1].filters[0].all[1].cesql", "does not parse"));
    }

    @org.junit.jupiter.api.Test
    void aCesqlExpressionThatFailsOnAnEventThrowsForTheCallerToCount() throws IOException {
        EventFilter filter = EventFilters.allOf(parse("[{cesql: \"missing = 'x'\"}]"), "spec.subscribers[0].filters");

        assertThatThrownBy(() -> filter.test(ORDER)).isInstanceOf(FilterException.class).hasMessageContaining("missing");
    }

    private static List<Filter> parse(String yaml) throws IOException {
        return YAML.readValue(yaml, new TypeReference<List<Filter>>() {
        });
    }
}
