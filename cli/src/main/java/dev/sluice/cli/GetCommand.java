package dev.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "List resources with Ready and its reason, like kubectl get.")
final class GetCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(arity = "0..1", paramLabel = "KIND",
            description = "Only this kind: eventsources, eventbuses, clustereventbuses, triggers (singular, plural or Kind).")
    String kind;

    @Override
    public Integer call() {
        List<JsonNode> resources = new ArrayList<>();
        connection.client().get("/resources").forEach(resource -> {
            if (kind == null || isKind(resource.path("kind").asText(), kind)) {
                resources.add(resource);
            }
        });
        if (connection.json()) {
            connection.printJson(resources);
            return 0;
        }
        if (resources.isEmpty()) {
            connection.err().println("No resources found" + (kind == null ? "" : " of kind " + kind) + ".");
            return 0;
        }
        Table table = new Table("KIND", "NAMESPACE", "NAME", "READY", "REASON", "MESSAGE");
        for (JsonNode resource : resources) {
            JsonNode ready = ready(resource);
            table.add(resource.path("kind").asText(), resource.path("namespace").asText(""),
                    resource.path("name").asText(), ready.path("status").asText("Unknown"),
                    ready.path("reason").asText(""), ready.path("message").asText(""));
        }
        table.print(connection.out());
        return 0;
    }

    private static JsonNode ready(JsonNode resource) {
        for (JsonNode condition : resource.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return resource.path("none");
    }

    private static boolean isKind(String actual, String asked) {
        String a = actual.toLowerCase(Locale.ROOT);
        String k = asked.toLowerCase(Locale.ROOT);
        return k.equals(a) || k.equals(a + "s") || k.equals(a + "es");
    }
}
