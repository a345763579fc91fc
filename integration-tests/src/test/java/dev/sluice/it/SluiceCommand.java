package dev.sluice.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code sluice} command ({@code sluice.cli.jar}) run as a process, as a user or a CI job runs it,
 * against one server.
 */
final class SluiceCommand {
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run printed and how it ended. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Path jar;
    private final String server;
    private final Path workDir;

    SluiceCommand(String server, Path workDir) {
        this.jar = Path.of(Optional.ofNullable(System.getProperty("sluice.cli.jar")).orElseThrow(
                () -> new IllegalStateException("system property sluice.cli.jar is not set: run with `mvn -B verify`")));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no CLI jar at " + jar + ": package the cli module first");
        }
        this.server = server;
        this.workDir = workDir;
    }

    /** Runs {@code sluice ARGS --server SERVER} to its end. */
    Result run(String... args) throws IOException, InterruptedException {
        Process process = start(args);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sluice " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), read(process.getInputStream()), read(process.getErrorStream()));
    }

    /** Starts {@code sluice ARGS --server SERVER} and returns at once. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        if (!List.of(args).contains("test")) {
            command.addAll(List.of("--server", server));
        }
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    static String read(java.io.InputStream stream) throws IOException {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
}
