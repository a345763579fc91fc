package dev.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sluice.trigger.ApiException;
import dev.sluice.trigger.DryRun;
import dev.sluice.trigger.cel.TriggerCondition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test", description = "Evaluate a Trigger against sample CloudEvents, offline: no server, nothing "
        + "delivered. Exits 0 when every --expect holds, 1 when one does not.")
final class TestCommand implements Callable<Integer> {
    /** {@code [EVENT_ID:]SUBSCRIBER=true|false} */
    private static final Pattern EXPECTATION = Pattern.compile("(?:(.+):)?(\\d+)=(true|false)");

    @Mixin
    Connection connection;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "TRIGGER.yaml", description = "The Trigger, as YAML.")
    Path trigger;

    @Option(names = {"-e", "--event"}, required = true, paramLabel = "[INPUT=]EVENT.json",
            description = "A structured-mode CloudEvent as JSON, in the order they arrive; INPUT= names the input it "
                    + "arrives on where its source does not say (and the Trigger has more than one).")
    List<String> events;

    @Option(names = "--expect", paramLabel = "[EVENT_ID:]SUBSCRIBER=true|false",
            description = "Whether subscriber (index in spec.subscribers) matches the event of that id, or the last "
                    + "event when no id is given.")
    List<String> expectations = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<String> texts = new ArrayList<>();
        for (String event : events) {
            texts.add(eventText(json, event));
        }
        Map<String, Object> answer;
        try {
            answer = new DryRun(json, TriggerCondition.DEFAULT_MAX_ITERATIONS)
                    .evaluate(Files.readString(trigger, StandardCharsets.UTF_8), texts);
        } catch (ApiException e) {
            throw new CliException(trigger + ": " + e.getMessage());
        }
        JsonNode results = json.valueToTree(answer).path("results");
        if (connection.json()) {
            connection.printJson(answer);
        } else {
            print(results);
        }
        List<String> failed = new ArrayList<>();
        for (String expectation : expectations) {
            check(expectation, results).ifPresent(failed::add);
        }
        if (!failed.isEmpty()) {
            connection.err().println("sluice: " + failed.size() + " of " + expectations.size()
                    + " expectations failed: " + String.join("; ", failed));
            return 1;
        }
        if (!expectations.isEmpty() && !connection.json()) {
            connection.out().println("all " + expectations.size() + " expectations hold");
        }
        return 0;
    }

    /** The event's JSON, with {@code sluiceinput} set when the argument names an input. */
    private static String eventText(ObjectMapper json, String argument) throws IOException {
        String input = null;
        String file = argument;
        int equals = argument.indexOf('=');
        if (equals > 0 && !Files.exists(Path.of(argument))) {
            input = argument.substring(0, equals);
            file = argument.substring(equals + 1);
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new CliException("no event file " + file);
        }
        JsonNode event = json.readTree(path.toFile());
        if (!event.isObject()) {
            throw new CliException(file + " is not a JSON object (a structured-mode CloudEvent)");
        }
        if (input != null) {
            ((ObjectNode) event).put(DryRun.INPUT_EXTENSION, input);
        }
        return json.writeValueAsString(event);
    }

    private void print(JsonNode results) {
        for (JsonNode result : results) {
            connection.out().println("event " + result.path("event").asText() + " on " + result.path("inputs"));
            for (JsonNode subscriber : result.path("subscribers")) {
                JsonNode condition = subscriber.path("condition");
                String expression = condition.path("expression").asText();
                connection.out().printf("  subscriber %d: %s%n", subscriber.path("index").asInt(),
                        subscriber.path("matched").asBoolean() ? "MATCH" : "no match");
                for (JsonNode filter : subscriber.path("filters")) {
                    connection.out().printf("    filter %s = %s%s%n", filter.path("filter").asText(),
                            filter.path("value"), filter.has("error") ? " (" + filter.path("error").asText() + ")" : "");
                }
                connection.out().printf("    condition %s = %s%n", expression.isEmpty() ? "(empty: any input)" : expression,
                        condition.has("error") ? condition.path("error").asText() : condition.path("value").toString());
            }
        }
    }

    private static java.util.Optional<String> check(String expectation, JsonNode results) {
        Matcher m = EXPECTATION.matcher(expectation);
        if (!m.matches()) {
            throw new CliException("--expect " + expectation + ": write [EVENT_ID:]SUBSCRIBER=true|false");
        }
        JsonNode result = null;
        if (m.group(1) == null) {
            result = results.get(results.size() - 1);
        } else {
            for (JsonNode r : results) {
                if (r.path("event").asText().equals(m.group(1))) {
                    result = r;
                }
            }
            if (result == null) {
                throw new CliException("--expect " + expectation + ": no event of id " + m.group(1));
            }
        }
        int index = Integer.parseInt(m.group(2));
        JsonNode subscriber = result.path("subscribers").path(index);
        if (subscriber.isMissingNode()) {
            throw new CliException("--expect " + expectation + ": the Trigger has no subscriber " + index);
        }
        boolean wanted = Boolean.parseBoolean(m.group(3));
        boolean matched = subscriber.path("matched").asBoolean();
        return matched == wanted ? java.util.Optional.empty()
                : java.util.Optional.of("subscriber " + index + " on event " + result.path("event").asText() + " is "
                        + matched + ", expected " + wanted);
    }
}
