package dev.sluice.cesql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;
import io.cloudevents.sql.impl.expressions.LikeExpression;

/**
 * CESQL {@code LIKE} as this module ships it (our {@link LikeExpression} in place of the SDK's): the CESQL spec's and
 * the SDK's cases, the same answers as cloudevents-sql 4.0.1 on thousands of generated ones, and no backtracking.
 */
class LikeExpressionTest {
    private static final CloudEvent EVENT = CloudEventBuilder.v1().withId("1").withSource(URI.create("/shop/eu"))
            .withType("shop.order.created").withExtension("note", "x\ny").build();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("'abc' LIKE 'abc'", true),
                Arguments.of("'abc' NOT LIKE 'abc'", false),
                Arguments.of("'ab\\c' LIKE 'ab\\c'", true), // a backslash before anything but % and _ is itself
                Arguments.of("'abc' LIKE 'a%b%c'", true),
                Arguments.of("'azbc' LIKE 'a%b%c'", true),
                Arguments.of("'azzzbzzzc' LIKE 'a%b%c'", true),
                Arguments.of("'a%b%c' LIKE 'a%b%c'", true),
                Arguments.of("'ac' LIKE 'abc'", false),
                Arguments.of("'' LIKE 'abc'", false),
                Arguments.of("'' LIKE ''", true),
                Arguments.of("'' LIKE '%'", true),
                Arguments.of("'a' LIKE ''", false),
                Arguments.of("'abc' LIKE '%'", true),
                Arguments.of("'abc' LIKE '%%'", true),
                Arguments.of("'abc' LIKE 'a%'", true),
                Arguments.of("'abc' LIKE '%c'", true),
                Arguments.of("'abc' LIKE '%b%'", true),
                Arguments.of("'abc' LIKE '%d%'", false),
                Arguments.of("'abc' LIKE '%ab'", false),
                Arguments.of("'abcabc' LIKE '%abc'", true),
                Arguments.of("'abc' LIKE 'a_c'", true),
                Arguments.of("'abbc' LIKE 'a_c'", false),
                Arguments.of("'ac' LIKE 'a_c'", false),
                Arguments.of("'abc' LIKE '___'", true),
                Arguments.of("'ab' LIKE '___'", false),
                Arguments.of("'' LIKE '_'", false),
                Arguments.of("'' LIKE '%_'", false),
                Arguments.of("'abc' LIKE '_%_'", true),
                Arguments.of("'a%c' LIKE 'a\\%c'", true),
                Arguments.of("'abc' LIKE 'a\\%c'", false),
                Arguments.of("'a_c' LIKE 'a\\_c'", true),
                Arguments.of("'abc' LIKE 'a\\_c'", false),
                Arguments.of("'100%' LIKE '%\\%'", true),
                Arguments.of("'a\\\\c' LIKE 'a\\\\c'", true), // \\ is two backslashes, as in the SDK
                Arguments.of("'a\\c' LIKE 'a\\\\c'", false),
                Arguments.of("'a\\%' LIKE 'a\\\\%'", true), // \ then \% : a backslash and a literal %
                Arguments.of("'a\\bc' LIKE 'a\\\\%'", false),
                Arguments.of("'.*' LIKE '.*'", true), // no regular expression inside
                Arguments.of("'ab' LIKE '.*'", false),
                Arguments.of("'a\\Eb' LIKE 'a\\Eb'", true), // the SDK's \Q...\E quoting broke on this one
                Arguments.of("'ABC' LIKE 'abc'", false), // case-sensitive
                Arguments.of("'abc' LIKE 'A%'", false),
                Arguments.of("'\uD83D\uDE00' LIKE '_'", true), // one code point, two chars
                Arguments.of("'x\uD83D\uDE00y' LIKE 'x_y'", true),
                Arguments.of("type LIKE 'shop.order.%'", true),
                Arguments.of("source LIKE '/shop/__'", true),
                Arguments.of("source NOT LIKE '/billing/%'", true),
                Arguments.of("42 LIKE '4_'", true), // an integer is cast to its string
                Arguments.of("note LIKE 'x%y'", true)); // any character, a line break too (not in the SDK)
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersTheCesqlCases(String expression, boolean expected) {
        Result result = Parser.parseDefault(expression).evaluate(EVENT);
        assertThat(result.isFailed()).as("%s", result.causes()).isFalse();
        assertThat(result.value()).isEqualTo(expected);
    }

    @Test
    void answersAsCloudEventsSql401DidOnGeneratedPatterns() throws Exception {
        Sdk401 sdk = new Sdk401();
        Random random = new Random(12);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // never ending in a backslash, which would escape the closing quote of the literal
            String text = generated(random, "ab%_\\") + "a";
            String pattern = generated(random, "ab%%__\\") + (random.nextBoolean() ? "a" : "%");
            String expression = "'" + text + "' LIKE '" + pattern + "'";
            Object ours = Parser.parseDefault(expression).evaluate(EVENT).value();
            Object theirs = sdk.evaluate(expression);
            if (!ours.equals(theirs)) {
                differences.add(expression + ": ours " + ours + ", 4.0.1 " + theirs);
            }
        }
        assertThat(differences).isEmpty();
        // the one deliberate difference, which also shows that the 4.0.1 classes answered above
        String lineBreak = "'a\nb' LIKE 'a%b'";
        assertThat(sdk.evaluate(lineBreak)).isEqualTo(false);
        assertThat(Parser.parseDefault(lineBreak).evaluate(EVENT).value()).isEqualTo(true);
    }

    @Test
    void aPatternThatMadeTheRegexBacktrackAnswersAtOnce() {
        String longValue = String.join("", Collections.nCopies(4_000, "a"));
        CloudEvent event = CloudEventBuilder.v1(EVENT).withExtension("note", longValue).build();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Parser.parseDefault("note LIKE '%a%a%a%a%a%a%b'").evaluate(event).value()).isEqualTo(false);
            assertThat(Parser.parseDefault("note LIKE '%a%a%a%a%a%a%a'").evaluate(event).value()).isEqualTo(true);
            assertThat(Parser.parseDefault("note LIKE '%a_a_a_a_a_a%b%'").evaluate(event).value()).isEqualTo(false);
            assertThat(LikeExpression.matches(longValue + "b", "%a%a%a%a%a%a%b")).isTrue();
        });
    }

    private static String generated(Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(7);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /**
     * cloudevents-sql 4.0.1 as published, regex LIKE included: its unshaded jar (with ANTLR 4.9.2 and the
     * CloudEvents API) is on this module's test class path behind the shaded classes, so it is loaded on its own.
     */
    private static final class Sdk401 {
        private final Method parse;
        private final Method evaluate;
        private final Method value;
        private final Object event;

        Sdk401() throws Exception {
            ClassLoader loader = new URLClassLoader(new URL[] {
                    jarOf("io/cloudevents/sql/Parser.class", "cloudevents-sql"),
                    jarOf("org/antlr/v4/runtime/Lexer.class", "antlr4-runtime"),
                    jarOf("io/cloudevents/CloudEvent.class", "cloudevents-api"),
                    jarOf("io/cloudevents/core/builder/CloudEventBuilder.class", "cloudevents-core") },
                    ClassLoader.getPlatformClassLoader());
            Class<?> builderType = loader.loadClass("io.cloudevents.core.builder.CloudEventBuilder");
            Object builder = builderType.getMethod("v1").invoke(null);
            builder = builderType.getMethod("withId", String.class).invoke(builder, "1");
            builder = builderType.getMethod("withSource", URI.class).invoke(builder, URI.create("/s"));
            builder = builderType.getMethod("withType", String.class).invoke(builder, "t");
            event = builderType.getMethod("build").invoke(builder);
            parse = loader.loadClass("io.cloudevents.sql.Parser").getMethod("parseDefault", String.class);
            evaluate = loader.loadClass("io.cloudevents.sql.Expression").getMethod("evaluate",
                    loader.loadClass("io.cloudevents.CloudEvent"));
            value = loader.loadClass("io.cloudevents.sql.Result").getMethod("value");
        }

        Object evaluate(String expression) throws Exception {
            return value.invoke(evaluate.invoke(parse.invoke(null, expression), event));
        }

        private static URL jarOf(String resource, String artifact) throws Exception {
            for (URL url : Collections.list(LikeExpressionTest.class.getClassLoader().getResources(resource))) {
                if ("jar".equals(url.getProtocol()) && url.getPath().contains("/" + artifact + "-")) {
                    return new URL(url.getPath().substring(0, url.getPath().indexOf("!/")));
                }
            }
            throw new IllegalStateException("no " + artifact + " jar with " + resource + " on the test class path");
        }
    }
}
