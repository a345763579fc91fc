package dev.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Follow the bus topic of an event source's event and print each event as it "
        + "arrives (through the server's GET /topics/NS/SOURCE/EVENT, server-sent events).")
final class TailCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(paramLabel = "NS/SOURCE/EVENT", description = "The EventSource's namespace and name, and its event.")
    String target;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N events (default: follow until interrupted).")
    Long count;

    @Override
    public Integer call() throws IOException {
        String[] names = Names.split(target, "NS/SOURCE/EVENT");
        String path = "/topics/" + ManagementClient.segment(names[0]) + "/" + ManagementClient.segment(names[1]) + "/"
                + ManagementClient.segment(names[2]);
        long seen = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(connection.client().stream(path),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(":")) {
                    connection.err().println(line.substring(1).trim()); // the server says what it follows
                } else if (line.startsWith("data:")) {
                    print(line.substring(5).trim());
                    if (count != null && ++seen >= count) {
                        return 0;
                    }
                }
            }
        }
        throw new CliException("the server closed the stream");
    }

    private void print(String event) throws IOException {
        if (connection.json()) {
            connection.out().println(event);
            return;
        }
        JsonNode node = ManagementClient.JSON.readTree(event);
        String data = node.has("data") ? node.get("data").toString()
                : node.has("data_base64") ? "(binary " + node.get("data_base64").asText().length() + " base64 chars)" : "";
        connection.out().println(node.path("time").asText("-") + "  " + node.path("id").asText() + "  "
                + node.path("type").asText() + "  " + data);
    }
}
