package dev.sluice.trigger.filter;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import io.cloudevents.CloudEvent;
import io.cloudevents.sql.EvaluationException;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;

/** Knative's {@code cesql}: a CloudEvents SQL expression, parsed once, that passes the events it is true for. */
final class CesqlFilter implements EventFilter {
    private final String text;
    private final Expression expression;

    private CesqlFilter(String text, Expression expression) {
        this.text = text;
        this.expression = expression;
    }

    /** @throws InvalidSpecException {@code FilterInvalid} with the parser's message, naming {@code field} */
    static CesqlFilter parse(String text, String field) {
        try {
            return new CesqlFilter(text, Parser.parseDefault(text));
        } catch (ParseException e) {
            throw new InvalidSpecException(Reasons.FILTER_INVALID, field, "does not parse: " + e.getMessage());
        }
    }

    @Override
    public boolean test(CloudEvent event) {
        Result result = expression.evaluate(event);
        if (result.isFailed()) {
            throw new FilterException("'" + text + "' failed: " + result.causes().stream()
                    .map(EvaluationException::getMessage).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        return Boolean.TRUE.equals(result.value());
    }
}
