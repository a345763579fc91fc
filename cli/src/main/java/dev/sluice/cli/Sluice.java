package dev.sluice.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command. Every subcommand but {@code test} talks to a Sluice server's management API
 * (docs/api.md), by default the local mode on 127.0.0.1:8080. An error ends the command with one line on stderr
 * and a non-zero exit code: 1 for a failure, 2 for a command line that does not parse.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Sluice.Version.class,
        description = "Look at and work with a Sluice event bus: resources, events, replays, dead letters, tests.",
        subcommands = {GetCommand.class, SendCommand.class, TailCommand.class, TestCommand.class, ReplayCommand.class,
                DeadLettersCommand.class, CommandLine.HelpCommand.class})
public final class Sluice {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; the exit code is returned, never thrown, so that tests can call it. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Sluice());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("sluice: " + oneLine(e));
            return 1;
        });
        line.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("sluice: " + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return line.execute(args);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Sluice.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "development build" : version)};
        }
    }
}
