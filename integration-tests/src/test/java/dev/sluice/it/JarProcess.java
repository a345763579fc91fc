package dev.sluice.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Sluice app (event-source, trigger, or the standalone app serving as a Kafka broker) as a process
 * of its own, started with {@code -D} settings, killed with SIGKILL and started again with the same settings: the
 * same ports and data folder, as a pod restarted in place. One log file per start, in its work folder.
 */
final class JarProcess implements AutoCloseable {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Path jar;
    private final Path workDir;
    private final List<String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    /** @param settings {@code name=value} pairs, passed as {@code -Dname=value} */
    JarProcess(String name, Path jar, Path workDir, List<String> settings) {
        this.name = name;
        this.jar = jar;
        this.workDir = workDir;
        this.settings = List.copyOf(settings);
    }

    /**
     * A packaged app: {@code chaos.apps}/{@code app}/quarkus-run.jar when that folder is set (a copy that a build
     * running meanwhile does not overwrite), else the path in the system property.
     */
    static Path jar(String property, String app) {
        String apps = System.getProperty("chaos.apps", "");
        Path jar = (apps.isBlank() ? Path.of(System.getProperty(property, ""))
                : Path.of(apps, app, "quarkus-run.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged app at " + jar + " (" + property
                    + "): run the integration tests with `mvn -B verify` from the repository root");
        }
        return jar;
    }

    void start() throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m"));
        settings.forEach(setting -> command.add("-D" + setting));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = workDir.resolve(name + "-" + (++starts) + ".log");
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        System.out.printf("%s: pid %d, log %s%n", name, process.pid(), log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die within " + EXIT_TIMEOUT);
        }
    }

    /** Waits until {@code GET /q/health/ready} on this port (the management port of a packaged service) answers 200. */
    void awaitReady(int port, Duration patience) {
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        await(name + " ready").atMost(patience).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .failFast(name + " exited", () -> !process.isAlive())
                .until(() -> http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Waits until something listens on this port (the broker). */
    void awaitListening(int port, Duration patience) {
        await(name + " listening on " + port).atMost(patience).pollInterval(Duration.ofMillis(100))
                .failFast(name + " exited", () -> !process.isAlive())
                .until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it does not exit in time. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
