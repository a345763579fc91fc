package dev.sluice.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every command shares: where the server is and how to print. */
final class Connection {
    /** The local mode's one port. */
    static final String LOCAL = "http://127.0.0.1:8080";

    enum Output {
        text, json
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:SLUICE_SERVER:-" + LOCAL + "}",
            description = "The management API (default: $SLUICE_SERVER, else " + LOCAL + ").")
    String server;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json, for scripts.")
    Output output;

    ManagementClient client() {
        return new ManagementClient(server);
    }

    boolean json() {
        return output == Output.json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) {
        try {
            out().println(ManagementClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new CliException(e.getMessage());
        }
    }
}
