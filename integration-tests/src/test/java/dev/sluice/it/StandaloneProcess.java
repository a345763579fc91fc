package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The packaged local-mode app ({@code sluice.standalone.jar}) running as a separate JVM, the way a user
 * runs it on a laptop.
 *
 * <p>Registered per test with {@code @RegisterExtension} so that each test gets its own work folder
 * under {@code target/it-work/} (resources, data, one log file per start), the process never outlives
 * the test, and a failing test prints where the logs are and the tail of the last one. A restart keeps
 * the data folder and the ports, as a restart on the same machine would.
 */
final class StandaloneProcess implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> extraProperties = new LinkedHashMap<>();
    private final List<Path> logs = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Path jar;
    private Path workDir;
    private Path resourcesDir;
    private Path dataDir;
    private int httpPort;
    private int kafkaPort;
    private Set<String> expectedResources = Set.of();
    private Process process;
    private Thread killOnJvmExit;

    /** Adds a {@code -Dname=value} to every start of the app; call before {@link #start}. */
    StandaloneProcess withProperty(String name, String value) {
        extraProperties.put(name, value);
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        jar = packagedJar();
        Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/it-work");
        Files.createDirectories(root);
        workDir = Files.createTempDirectory(root,
                context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName() + "-");
        resourcesDir = Files.createDirectory(workDir.resolve("resources"));
        dataDir = Files.createDirectory(workDir.resolve("data"));
        int[] ports = freePorts();
        httpPort = ports[0];
        kafkaPort = ports[1];
    }

    /** The folder the app reads its resources from; write the YAML here before {@link #start}. */
    Path resourcesDir() {
        return resourcesDir;
    }

    /**
     * Starts the app and waits until it is ready and every resource it lists is {@code Ready=True}.
     *
     * @param expected resources that must be listed, as {@code Kind/namespace/name}, so that an app that
     *     loaded nothing is not taken for ready
     */
    void start(String... expected) throws IOException {
        expectedResources = Set.of(expected);
        launch();
    }

    /** Starts the app again on the same data folder and ports, after {@link #stop} or {@link #kill}. */
    void restart() throws IOException {
        launch();
    }

    /** SIGTERM, then waits for the process to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        awaitExit("SIGTERM");
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit("SIGKILL");
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The embedded Kafka broker's address; the same across restarts. */
    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    HttpClient client() {
        return http;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** The HTTP ingestion URL of one event: {@code /{namespace}/{eventsource}/{event}}. */
    URI ingress(String namespace, String eventSource, String event) {
        return uri("/" + namespace + "/" + eventSource + "/" + event);
    }

    Path currentLog() {
        return logs.get(logs.size() - 1);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void launch() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("sluice is already running as pid " + process.pid());
        }
        Path log = workDir.resolve("sluice-" + (logs.size() + 1) + ".log");
        logs.add(log);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dsluice.resources.dir=" + resourcesDir);
        command.add("-Dsluice.data.dir=" + dataDir);
        command.add("-Dsluice.embedded-kafka.port=" + kafkaPort);
        command.add("-Dquarkus.http.port=" + httpPort);
        extraProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        Process started = process;
        killOnJvmExit = new Thread(started::destroyForcibly, "kill-sluice-" + started.pid());
        Runtime.getRuntime().addShutdownHook(killOnJvmExit);
        System.out.printf("sluice: pid %d, http %d, kafka %d, log %s%n", started.pid(), httpPort, kafkaPort, log);
        awaitReady(log);
    }

    private void awaitReady(Path log) {
        long startNanos = System.nanoTime();
        await("GET /q/health/ready answers 200 (log: " + log + ")")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .failFast("sluice exited before it was ready, log: " + log, () -> !isAlive())
                .ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
        await("GET /resources lists " + expectedResources + ", each Ready=True (log: " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .failFast("sluice exited before its resources were ready, log: " + log, () -> !isAlive())
                .ignoreExceptions()
                .untilAsserted(() -> {
                    HttpResponse<String> response = get("/resources");
                    assertThat(response.statusCode()).as("GET /resources status").isEqualTo(200);
                    Map<String, String> readiness = readiness(JSON.readTree(response.body()));
                    assertThat(readiness.keySet()).as("resources listed").containsAll(expectedResources);
                    assertThat(readiness).as("Ready condition of every resource")
                            .allSatisfy((resource, ready) -> assertThat(ready).as(resource).startsWith("True"));
                });
        System.out.printf("sluice: ready in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** {@code Kind/namespace/name} → the Ready condition's status, reason and message. */
    private static Map<String, String> readiness(JsonNode resources) {
        assertThat(resources.isArray()).as("GET /resources returns a JSON array: %s", resources).isTrue();
        Map<String, String> readiness = new LinkedHashMap<>();
        for (JsonNode resource : resources) {
            String key = resource.path("kind").asText() + "/" + resource.path("namespace").asText() + "/"
                    + resource.path("name").asText();
            String ready = "no Ready condition";
            for (JsonNode condition : resource.path("status").path("conditions")) {
                if ("Ready".equals(condition.path("type").asText())) {
                    ready = condition.path("status").asText() + " " + condition.path("reason").asText() + ": "
                            + condition.path("message").asText();
                }
            }
            readiness.put(key, ready);
        }
        return readiness;
    }

    private void awaitExit(String signal) throws InterruptedException {
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("sluice pid " + process.pid() + " did not exit within " + EXIT_TIMEOUT
                    + " of " + signal + ", log: " + currentLog());
        }
        removeShutdownHook();
        System.out.printf("sluice: pid %d exited with %d after %s%n", process.pid(), process.exitValue(), signal);
    }

    private void removeShutdownHook() {
        if (killOnJvmExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnJvmExit);
            } catch (IllegalStateException jvmAlreadyExiting) {
                // The hook is running or about to: nothing left to undo.
            }
            killOnJvmExit = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            removeShutdownHook();
            throw new AssertionError("sluice did not exit within " + EXIT_TIMEOUT + " of SIGTERM and was killed; log: "
                    + currentLog());
        }
        removeShutdownHook();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        // The Kafka log is the bulk of the work folder; logs and resources stay for reading.
        if (dataDir != null && !isAlive()) {
            deleteRecursively(dataDir);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (logs.isEmpty()) {
            System.out.println("sluice: never started; work folder " + workDir);
            return;
        }
        System.out.println("sluice: test failed; " + (isAlive() ? "was running" : "exit code " + process.exitValue())
                + "; logs: " + logs + "; data: " + dataDir);
        Path last = currentLog();
        try {
            List<String> lines = Files.readAllLines(last, StandardCharsets.UTF_8);
            System.out.println("---- last " + LOG_TAIL_LINES + " lines of " + last + " ----");
            lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(System.out::println);
            System.out.println("---- end of " + last + " ----");
        } catch (IOException | UncheckedIOException e) {
            System.out.println("sluice: could not read " + last + ": " + e);
        }
    }

    private static Path packagedJar() {
        String property = Optional.ofNullable(System.getProperty("sluice.standalone.jar"))
                .orElseThrow(() -> new IllegalStateException(
                        "system property sluice.standalone.jar is not set: run these tests with `mvn -B verify`"));
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged standalone app at " + jar
                    + ": package the standalone module first (`mvn -B verify` from the repository root)");
        }
        return jar;
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.out.println("sluice: could not delete " + root + ": " + e);
        }
    }
}
