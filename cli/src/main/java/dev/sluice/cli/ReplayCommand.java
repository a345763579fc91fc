package dev.sluice.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", description = "Deliver a Trigger's events again from a time on, to its subscribers, with a "
        + "progress bar; each carries the extension sluicereplay. Ctrl-C cancels the replay.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(paramLabel = "NS/TRIGGER")
    String trigger;

    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "An RFC 3339 time, or a duration before now: 15m, 2h, PT30S.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "The end (exclusive); default: the events there are now.")
    String to;

    @Option(names = "--condition", paramLabel = "CEL", description = "Only events for which this is true.")
    String condition;

    @Option(names = "--subscriber", paramLabel = "INDEX", description = "Only this subscriber (index in spec.subscribers).")
    Integer subscriber;

    @Option(names = "--no-wait", description = "Start the replay and return at once.")
    boolean noWait;

    @Override
    public Integer call() {
        ManagementClient client = connection.client();
        String path = ManagementClient.triggerPath(Names.split(trigger, "NS/TRIGGER")) + "/replays";
        JsonNode replay = client.post(path, ManagementClient.body("from", from, "to", to, "condition", condition,
                "subscriber", subscriber));
        String self = path + "/" + replay.path("id").asText();
        if (!noWait) {
            Thread cancel = new Thread(() -> client.delete(self));
            Runtime.getRuntime().addShutdownHook(cancel);
            replay = Polling.until(client, self, connection.err(), node -> node.path("scanned").asLong(),
                    node -> node.path("delivered").asLong() + " delivered, " + node.path("deadLettered").asLong()
                            + " dead-lettered, " + node.path("failed").asLong() + " failed");
            Runtime.getRuntime().removeShutdownHook(cancel);
        }
        if (connection.json()) {
            connection.printJson(replay);
        } else {
            connection.out().printf("replay %s %s: %d of %d events read, %d matched: %d delivered, %d dead-lettered, "
                    + "%d failed%n", replay.path("id").asText(), replay.path("state").asText(),
                    replay.path("scanned").asLong(), replay.path("total").asLong(), replay.path("matched").asLong(),
                    replay.path("delivered").asLong(), replay.path("deadLettered").asLong(),
                    replay.path("failed").asLong());
        }
        if ("failed".equals(replay.path("state").asText())) {
            throw new CliException("replay " + replay.path("id").asText() + " failed: " + replay.path("message").asText());
        }
        return 0;
    }
}
