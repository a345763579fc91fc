package dev.sluice.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deadletters", description = "A Trigger's dead letters (its subscribers' deadLetterTopic): list, "
        + "count, redrive.", subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.CountLetters.class,
                DeadLettersCommand.RedriveLetters.class})
final class DeadLettersCommand {

    @Command(name = "list", description = "The letters not yet redriven: id, subscriber, error code, destination, time, data.")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "NS/TRIGGER")
        String trigger;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            JsonNode answer = connection.client().get(ManagementClient.triggerPath(Names.split(trigger, "NS/TRIGGER"))
                    + "/deadletters?limit=" + limit);
            if (connection.json()) {
                connection.printJson(answer);
                return 0;
            }
            Table table = new Table("ID", "SUBSCRIBER", "CODE", "DESTINATION", "DEAD-LETTERED", "DATA");
            for (JsonNode letter : answer.path("items")) {
                table.add(letter.path("id").asText(), letter.path("subscriber").asInt(),
                        letter.path("errorCode").asText(), letter.path("destination").asText(),
                        letter.path("deadLetteredAt").asText(), letter.path("dataExcerpt").asText(""));
            }
            table.print(connection.out());
            connection.out().println(answer.path("count").asLong() + " dead letters"
                    + (answer.path("count").asLong() > answer.path("items").size() ? ", the first "
                            + answer.path("items").size() + " shown" : ""));
            return 0;
        }
    }

    @Command(name = "count", description = "How many letters are not yet redriven.")
    static final class CountLetters implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "NS/TRIGGER")
        String trigger;

        @Override
        public Integer call() {
            JsonNode answer = connection.client().get(ManagementClient.triggerPath(Names.split(trigger, "NS/TRIGGER"))
                    + "/deadletters/count");
            if (connection.json()) {
                connection.printJson(answer);
            } else {
                connection.out().println(answer.path("count").asLong());
            }
            return 0;
        }
    }

    @Command(name = "redrive", description = "Send letters to their subscriber again, with a progress bar: all of "
            + "them, or those of --id, or those --condition takes. One that fails again becomes a new letter.")
    static final class RedriveLetters implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "NS/TRIGGER")
        String trigger;

        @Option(names = "--id", paramLabel = "ID", description = "Only the letter of this event id (repeatable).")
        List<String> ids = List.of();

        @Option(names = "--condition", paramLabel = "CEL",
                description = "Only letters for which this is true, e.g. 'event.sluiceerrorcode == 503'.")
        String condition;

        @Override
        public Integer call() {
            ManagementClient client = connection.client();
            String path = ManagementClient.triggerPath(Names.split(trigger, "NS/TRIGGER")) + "/deadletters/redrives";
            JsonNode redrive = client.post(path, ManagementClient.body("ids", ids.isEmpty() ? null : ids,
                    "condition", condition));
            redrive = Polling.until(client, path + "/" + redrive.path("id").asText(), connection.err(),
                    node -> node.path("redriven").asLong(), node -> node.path("delivered").asLong() + " delivered, "
                            + node.path("deadLetteredAgain").asLong() + " dead-lettered again, "
                            + node.path("failed").asLong() + " failed");
            if (connection.json()) {
                connection.printJson(redrive);
            } else {
                connection.out().printf("redrive %s %s: %d of %d redriven: %d delivered, %d dead-lettered again, "
                        + "%d failed%n", redrive.path("id").asText(), redrive.path("state").asText(),
                        redrive.path("redriven").asLong(), redrive.path("total").asLong(),
                        redrive.path("delivered").asLong(), redrive.path("deadLetteredAgain").asLong(),
                        redrive.path("failed").asLong());
            }
            if ("failed".equals(redrive.path("state").asText())) {
                throw new CliException("redrive failed: " + redrive.path("message").asText());
            }
            return 0;
        }
    }
}
