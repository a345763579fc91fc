package io.cloudevents.sql.impl.expressions;

import java.util.Arrays;

import io.cloudevents.CloudEvent;
import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.ExceptionFactory;
import io.cloudevents.sql.impl.ExpressionInternal;
import io.cloudevents.sql.impl.ExpressionInternalVisitor;
import io.cloudevents.sql.impl.runtime.EvaluationResult;
import org.antlr.v4.runtime.misc.Interval;

/**
 * CESQL's {@code value LIKE 'pattern'}, in place of cloudevents-sql 4.0.1's class of the same name (the shade plugin
 * leaves the SDK's out of this module's jar; same package, constructor and visitor, so the SDK's parser, constant
 * folding and {@code NOT LIKE} build and run this one on every path).
 *
 * <p>The SDK turns the pattern into a {@code java.util.regex} expression ({@code %} → {@code .*}), which backtracks:
 * {@code '%a%a%a%a%a%a%b'} against 4,000 {@code a}s tries on the order of n^6 splits and runs for minutes on one
 * event. Here the pattern is matched by the two-pointer wildcard algorithm: the text is read forwards; a {@code %}
 * remembers where it stood, and on a mismatch only the latest {@code %} takes one more character, the earlier ones
 * never move again. That is enough because {@code %} matches anything: if the rest of the pattern matches from
 * some later position, letting the latest {@code %} reach that position is as good as any other split. At most
 * text length × pattern length steps, no recursion, no allocation per event.
 *
 * <p>The pattern language is the SDK's: {@code %} any sequence of characters (none included), {@code _} exactly one
 * character (a Unicode code point, as the regex's {@code .} was), {@code \%} and {@code \_} a literal {@code %} and
 * {@code _}; any other backslash is itself (so {@code \\} is two backslashes, and a trailing {@code \} one).
 * Case-sensitive. One deliberate difference: {@code %} and {@code _} match line terminators too, as the CESQL spec
 * says "any character"; the SDK's regex {@code .} did not, so {@code 'a\nb' LIKE 'a%b'} was false.
 */
public class LikeExpression extends BaseExpression {
    /** Pattern items below zero are wildcards; the others are the code points to match. */
    private static final int ANY_ONE = -1;
    private static final int ANY_SEQUENCE = -2;

    private final ExpressionInternal internal;
    private final int[] pattern;

    public LikeExpression(Interval expressionInterval, String expressionText, ExpressionInternal internal, String pattern) {
        super(expressionInterval, expressionText);
        this.internal = internal;
        this.pattern = compile(pattern);
    }

    @Override
    public EvaluationResult evaluate(EvaluationRuntime runtime, CloudEvent event, ExceptionFactory exceptionFactory) {
        EvaluationResult value = castToString(exceptionFactory, internal.evaluate(runtime, event, exceptionFactory));
        return value.copyWithValue(matches(pattern, (String) value.value()));
    }

    @Override
    public <T> T visit(ExpressionInternalVisitor<T> visitor) {
        return visitor.visitLikeExpression(this);
    }

    /** Whether {@code text} matches the whole {@code pattern}, as in {@code text LIKE pattern}. */
    public static boolean matches(String text, String pattern) {
        return matches(compile(pattern), text);
    }

    private static int[] compile(String pattern) {
        int[] items = new int[pattern.length()];
        int size = 0;
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\' && i < pattern.length() && (pattern.charAt(i) == '%' || pattern.charAt(i) == '_')) {
                items[size++] = pattern.charAt(i++);
            } else if (c == '%') {
                if (size == 0 || items[size - 1] != ANY_SEQUENCE) { // %% is %
                    items[size++] = ANY_SEQUENCE;
                }
            } else {
                items[size++] = c == '_' ? ANY_ONE : c;
            }
        }
        return Arrays.copyOf(items, size);
    }

    private static boolean matches(int[] pattern, String text) {
        int t = 0;
        int p = 0;
        int lastAny = -1; // the latest % passed, and the text position it has reached
        int lastAnyReach = 0;
        while (t < text.length()) {
            int c = text.codePointAt(t);
            if (p < pattern.length && (pattern[p] == c || pattern[p] == ANY_ONE)) {
                t += Character.charCount(c);
                p++;
            } else if (p < pattern.length && pattern[p] == ANY_SEQUENCE) {
                lastAny = p++;
                lastAnyReach = t;
            } else if (lastAny >= 0) {
                lastAnyReach += Character.charCount(text.codePointAt(lastAnyReach));
                t = lastAnyReach;
                p = lastAny + 1;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == pattern.length;
    }
}
