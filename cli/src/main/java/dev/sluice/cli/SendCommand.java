package dev.sluice.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", description = "Send one CloudEvent to an event source's HTTP event (binary mode); "
        + "the answer is 202 once the bus has it.")
final class SendCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(paramLabel = "NS/SOURCE/EVENT", description = "The EventSource's namespace and name, and its http event.")
    String target;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Data data;

    static final class Data {
        @Option(names = "--data", paramLabel = "TEXT", description = "The event's data, e.g. '{\"amount\": 120}'.")
        String text;

        @Option(names = "--data-file", paramLabel = "FILE", description = "Read the event's data from a file.")
        Path file;
    }

    @Option(names = "--type", defaultValue = "dev.sluice.cli.sent", description = "ce-type (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--id", description = "ce-id (default a new UUID).")
    String id;

    @Option(names = "--source", defaultValue = "/sluice/cli", description = "ce-source (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--content-type", defaultValue = "application/json",
            description = "The data's content type (default ${DEFAULT-VALUE}).")
    String contentType;

    @Option(names = "--ingress", paramLabel = "URL",
            description = "The event-source service's HTTP ingress, where it is not the --server (cluster mode).")
    String ingress;

    @Override
    public Integer call() throws IOException {
        String[] names = Names.split(target, "NS/SOURCE/EVENT");
        String eventId = id == null ? UUID.randomUUID().toString() : id;
        byte[] body = data.text != null ? data.text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : Files.readAllBytes(data.file);
        ManagementClient client = new ManagementClient(ingress == null ? connection.server : ingress);
        String path = "/" + ManagementClient.segment(names[0]) + "/" + ManagementClient.segment(names[1]) + "/"
                + ManagementClient.segment(names[2]);
        int status = client.send(client.request(path).header("ce-specversion", "1.0").header("ce-id", eventId)
                .header("ce-type", type).header("ce-source", source).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))).statusCode();
        if (connection.json()) {
            connection.printJson(Map.of("id", eventId, "status", status));
        } else {
            connection.out().println("sent " + eventId + " to " + target + " (HTTP " + status + ")");
        }
        return 0;
    }
}
