package dev.sluice.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The end-to-end load run, on 127.0.0.1 only: a broker process (Sluice's embedded broker, nothing else loaded), the
 * raw Kafka baseline against it, then for 1, 10 and 100 Triggers on one input Sluice on that broker, loaded by wrk at
 * fixed rates and at saturation, delivering to a counting sink in this JVM: in local mode (the HTTP source and the
 * trigger in one JVM) and as separate event-source and trigger processes. Every step is bounded in time; results go to {@code results.json} in the output
 * folder, for {@link BenchmarkReport}.
 * <p>
 * Arguments, each {@code --name=value}: {@code jar} (standalone), {@code event-source-jar},
 * {@code trigger-jar}, {@code out}, {@code wrk}, {@code script}, {@code clk-tck}, {@code triggers} (local mode:
 * 1,10,100), {@code separate-triggers} (separate processes), {@code rates-1}, {@code rates-10},
 * {@code rates-100}, {@code baseline-rates},
 * {@code duration}, {@code warmup}, {@code drain} (seconds), {@code jvm} (options of the Sluice and broker JVMs).
 * Optional: {@code baseline=false} skips the raw Kafka baseline and {@code profile=false} the JFR profile, to run
 * just some Trigger counts, for example {@code --triggers= --separate-triggers=1,100 --rates-1= --rates-100=};
 * {@code idle-only=true} measures each run's idle RSS and puts no load on it.
 */
public final class EndToEndRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) non2xx=(\\d+) errors=(\\d+) "
            + "duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)");
    private static final int CONNECTIONS = 64;
    private static final Duration READY_PATIENCE = Duration.ofSeconds(120);

    private final Map<String, String> args;
    private final Path out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private final List<Map<String, Object>> idle = new ArrayList<>();
    private final Map<String, Object> results = new LinkedHashMap<>();

    private EndToEndRun(Map<String, String> args) {
        this.args = args;
        this.out = Path.of(arg("out"));
    }

    public static void main(String[] argv) throws Exception {
        new EndToEndRun(arguments(argv)).run();
    }

    /** {@code --name=value} arguments by name; a bare {@code --name} is {@code true}. */
    static Map<String, String> arguments(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return args;
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        results.put("steps", steps);
        results.put("idle", idle);
        try (CountingSink sink = new CountingSink(1)) {
            int sinkPort = sink.start();
            log("counting sink on 127.0.0.1:%d", sinkPort);
            int kafkaPort = freePort();
            Process broker = start("broker", arg("jar"), List.of("-Dsluice.embedded-kafka.enabled=true",
                    "-Dsluice.embedded-kafka.port=" + kafkaPort, "-Dquarkus.http.port=" + freePort(),
                    "-Dsluice.resources.dir=" + Files.createDirectories(out.resolve("broker-resources")),
                    "-Dsluice.data.dir=" + out.resolve("broker-data")));
            try {
                awaitPort(kafkaPort, READY_PATIENCE);
                ProcessStats brokerStats = new ProcessStats(broker.pid(), clockTicks());
                results.put("brokerIdleRssMiB", brokerStats.rssMiB());
                if (!"false".equals(args.get("baseline"))) {
                    baseline("127.0.0.1:" + kafkaPort, brokerStats);
                }
                for (int triggers : ints(arg("triggers"))) {
                    sluice("local", triggers, kafkaPort, sink, brokerStats);
                }
                for (int triggers : ints(arg("separate-triggers"))) {
                    sluice("separate", triggers, kafkaPort, sink, brokerStats);
                }
            } finally {
                stop(broker);
            }
        }
        JSON.writeValue(out.resolve("results.json").toFile(), results);
        log("results in %s", out.resolve("results.json"));
    }

    private void baseline(String bootstrap, ProcessStats brokerStats) throws Exception {
        KafkaBaseline baseline = new KafkaBaseline(bootstrap, CONNECTIONS);
        log("raw Kafka baseline: warm-up");
        baseline.run(Optional.empty(), seconds("warmup"), seconds("drain"));
        List<Optional<Integer>> rates = new ArrayList<>();
        ints(arg("baseline-rates")).forEach(r -> rates.add(Optional.of(r)));
        rates.add(Optional.empty());
        for (Optional<Integer> rate : rates) {
            double cpu0 = brokerStats.cpuSeconds();
            KafkaBaseline.Result result = baseline.run(rate, seconds("duration"), seconds("drain"));
            double brokerCpu = brokerStats.cpuSeconds() - cpu0;
            Map<String, Object> step = step("kafka", 0, rate);
            step.put("ingestRate", result.acknowledged() / (double) seconds("duration").toSeconds());
            put(step, result.received(), result.acknowledged());
            step.put("brokerCpuPer1000", per1000(brokerCpu, result.received().count()));
            step.put("brokerRssMiB", brokerStats.rssMiB());
            steps.add(step);
            log("kafka %s: %s", step.get("offered"), step);
        }
    }

    /** One Sluice process to start: its name, its packaged app, and how many resources it reports Ready. */
    private record Service(String name, String jar, int readyResources) {
    }

    /**
     * @param mode {@code local} (one JVM: HTTP source and trigger, as {@code standalone/run-local.sh} runs) or
     *        {@code separate} (the event-source and trigger services as two processes, as in a cluster)
     */
    private void sluice(String mode, int triggers, int kafkaPort, CountingSink sink, ProcessStats brokerStats)
            throws Exception {
        String run = mode + "-" + triggers;
        Path resources = Files.createDirectories(out.resolve("resources-" + run));
        // names of their own per run: a run must not inherit the topic, or the consumer groups' backlog, of the last
        Files.writeString(resources.resolve("bench.yaml"), resourcesYaml(run, triggers, kafkaPort,
                "http://127.0.0.1:" + sink.port() + "/"));
        // each service reports Ready on the resources it serves: the bus everywhere, the source or the Triggers
        List<Service> services = mode.equals("local") ? List.of(new Service("sluice", arg("jar"), triggers + 2))
                : List.of(new Service("event-source", arg("event-source-jar"), 2),
                        new Service("trigger", arg("trigger-jar"), triggers + 1));
        List<Process> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        // /resources: on the one port in local mode, on the management interface of the packaged services
        List<Integer> resourcePorts = new ArrayList<>();
        try {
            for (Service service : services) {
                int httpPort = freePort();
                int managementPort = freePort();
                ports.add(httpPort);
                resourcePorts.add(mode.equals("local") ? httpPort : managementPort);
                processes.add(start(service.name() + "-" + run, service.jar(), List.of(
                        "-Dsluice.embedded-kafka.enabled=false", "-Dquarkus.http.port=" + httpPort,
                        "-Dquarkus.management.port=" + managementPort, "-Dquarkus.management.host=127.0.0.1",
                        "-Dsluice.resources.dir=" + resources,
                        "-Dsluice.data.dir=" + out.resolve("data-" + service.name() + "-" + run))));
            }
            List<ProcessStats> stats = new ArrayList<>();
            Map<String, Object> idleRss = new LinkedHashMap<>();
            for (int i = 0; i < services.size(); i++) {
                awaitReady(resourcePorts.get(i), services.get(i).readyResources());
                stats.add(new ProcessStats(processes.get(i).pid(), clockTicks()));
            }
            pause(Duration.ofSeconds(3)); // let start-up work (JIT of the first requests, timers) settle
            for (int i = 0; i < services.size(); i++) {
                idleRss.put(services.get(i).name(), stats.get(i).rssMiB());
            }
            idle.add(Map.of("mode", mode, "triggers", triggers, "rssMiB", idleRss));
            log("sluice %s: idle RSS %s MiB", run, idleRss);
            if ("true".equals(args.get("idle-only"))) {
                return; // the memory of the Triggers alone, for example with 1 and with 100 of them
            }
            String url = "http://127.0.0.1:" + ports.get(0) + "/default/" + run + "/orders";
            List<Optional<Integer>> rates = new ArrayList<>();
            ints(arg("rates-" + triggers)).forEach(r -> rates.add(Optional.of(r)));
            rates.add(Optional.empty());
            // warm the JIT at the highest fixed rate: it runs the path the steps measure, and the Triggers keep
            // up with it, whereas a saturated warm-up with many Triggers leaves minutes of backlog behind
            log("sluice %s: warm-up", run);
            Load warmup = load(url, rates.size() > 1 ? rates.get(rates.size() - 2) : Optional.empty(), seconds("warmup"));
            // a cold JVM delivers the warm-up slower than it takes it in: give its tail more time
            drain(sink, warmup.accepted() * triggers, seconds("drain").multipliedBy(3));
            sink.latencies().takeAndReset();
            for (Optional<Integer> rate : rates) {
                double cpu0 = cpuSeconds(stats);
                double brokerCpu0 = brokerStats.cpuSeconds();
                Load load = load(url, rate, seconds("duration"));
                long expected = load.accepted() * triggers;
                drain(sink, expected, seconds("drain"));
                double cpu = cpuSeconds(stats) - cpu0;
                double brokerCpu = brokerStats.cpuSeconds() - brokerCpu0;
                LatencyRecorder.Snapshot received = sink.latencies().takeAndReset();
                Map<String, Object> step = step("sluice", triggers, rate);
                step.put("mode", mode);
                step.put("ingestRate", load.accepted() / (load.durationMicros() / 1e6));
                step.put("refused", load.refused());
                step.put("ingestP50Millis", load.p50Micros() / 1000.0);
                step.put("ingestP99Millis", load.p99Micros() / 1000.0);
                put(step, received, expected);
                step.put("sluiceCpuPer1000", per1000(cpu, received.count()));
                step.put("brokerCpuPer1000", per1000(brokerCpu, received.count()));
                step.put("rssMiB", stats.stream().mapToDouble(ProcessStats::rssMiB).sum());
                steps.add(step);
                log("sluice %s %s: %s", run, step.get("offered"), step);
            }
            if (triggers == 1 && mode.equals("local") && !"false".equals(args.get("profile"))) {
                profileSaturated(processes.get(0), url, sink);
            }
        } finally {
            for (Process process : processes) {
                stop(process);
            }
        }
    }

    private static double cpuSeconds(List<ProcessStats> processes) {
        return processes.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
    }

    private static Map<String, Object> step(String system, int triggers, Optional<Integer> rate) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("system", system);
        step.put("triggers", triggers);
        step.put("offered", rate.map(String::valueOf).orElse("saturation"));
        return step;
    }

    private static void put(Map<String, Object> step, LatencyRecorder.Snapshot received, long expected) {
        step.put("expected", expected);
        step.put("delivered", received.count());
        step.put("deliveredRate", received.ratePerSecond());
        step.put("p50Millis", received.p50Millis());
        step.put("p99Millis", received.p99Millis());
        step.put("maxMillis", received.maxMillis());
    }

    private static double per1000(double cpuSeconds, long events) {
        return events == 0 ? -1 : cpuSeconds * 1000 / events;
    }

    /** What wrk reported. */
    private record Load(long accepted, long refused, long durationMicros, long p50Micros, long p99Micros) {
    }

    /**
     * Runs wrk for {@code duration}: 64 connections at saturation; for a fixed rate, fewer connections each
     * waiting a fixed delay between requests (wrk has no rate of its own), about 60 ms apart.
     */
    private Load load(String url, Optional<Integer> rate, Duration duration) throws Exception {
        int connections = rate.map(r -> Math.max(2, Math.min(CONNECTIONS, r / 16))).orElse(CONNECTIONS);
        long delayMillis = rate.map(r -> Math.round(connections * 1000.0 / r)).orElse(0L);
        ProcessBuilder wrk = new ProcessBuilder(arg("wrk"), "-t", String.valueOf(Math.min(2, connections)), "-c",
                String.valueOf(connections), "-d", duration.toSeconds() + "s", "--timeout", "10s", "-s",
                arg("script"), url).redirectErrorStream(true);
        wrk.environment().put("SLUICE_DELAY_MS", String.valueOf(delayMillis));
        Process process = wrk.start();
        String output;
        try {
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk did not finish within " + (duration.toSeconds() + 30) + " s");
            }
        } finally {
            output = new String(process.getInputStream().readAllBytes());
        }
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no RESULT line:\n" + output);
        }
        long requests = Long.parseLong(m.group(1));
        long refused = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
        return new Load(Math.max(0, requests - Long.parseLong(m.group(2))), refused, Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
    }

    /** Waits until the sink has {@code expected} events, at most {@code patience}. */
    private static void drain(CountingSink sink, long expected, Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        long seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < until && sink.latencies().count() < expected) {
            long now = sink.latencies().count();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (expected == Long.MAX_VALUE && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                return; // no count to wait for: done once nothing arrived for two seconds
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /**
     * Profiles one more saturated step, which is not measured: starting a recording makes the JVM retransform
     * the JDK classes of the events it records and recompile what used them, which costs a saturated step a good
     * share of its CPU.
     */
    private void profileSaturated(Process sluice, String url, CountingSink sink) throws Exception {
        log("sluice: profiling a saturated step");
        Path recording = out.resolve("saturation-1-trigger.jfr");
        jcmd(sluice.pid(), "JFR.start", "name=saturation", "settings=profile");
        Load load = load(url, Optional.empty(), seconds("duration"));
        drain(sink, load.accepted(), seconds("drain"));
        jcmd(sluice.pid(), "JFR.stop", "name=saturation", "filename=" + recording);
        sink.latencies().takeAndReset();
        results.put("profile", ProfileSummary.of(recording, 10));
    }

    /** @param source the EventSource's name, also the prefix of its Triggers' names */
    static String resourcesYaml(String source, int triggers, int kafkaPort, String sinkUri) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventBus
                metadata: {name: default, namespace: default}
                spec:
                  kafka: {brokers: "127.0.0.1:%d"}
                ---
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: %s, namespace: default}
                spec:
                  eventBus: default
                  http:
                    orders: {}
                """.formatted(kafkaPort, source));
        for (int i = 0; i < triggers; i++) {
            yaml.append("""
                    ---
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: Trigger
                    metadata: {name: %s-t%d, namespace: default}
                    spec:
                      eventBus: default
                      inputs:
                        order: {eventSource: %s, event: orders}
                      subscribers:
                      - condition: "order && event.data.amount > 100"
                        sink: {uri: "%s"}
                    """.formatted(source, i, source, sinkUri));
        }
        return yaml.toString();
    }

    private Process start(String name, String jar, List<String> properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(Arrays.asList(arg("jvm").trim().split("\\s+")));
        command.addAll(properties);
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.log.level=WARN", "-jar", jar));
        command.removeIf(String::isBlank);
        log("starting %s: %s", name, String.join(" ", command));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve(name + ".log").toFile()).start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until {@code GET /resources} shows {@code count} resources Ready (a service reports those it serves). */
    private void awaitReady(int port, int count) throws Exception {
        long until = System.nanoTime() + READY_PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/resources")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                last = response.body();
                JsonNode list = JSON.readTree(last);
                long ready = 0;
                for (JsonNode resource : list) {
                    for (JsonNode condition : resource.path("status").path("conditions")) {
                        if ("Ready".equals(condition.path("type").asText())
                                && "True".equals(condition.path("status").asText())) {
                            ready++;
                        }
                    }
                }
                if (ready == count) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        throw new IllegalStateException("Sluice was not ready within " + READY_PATIENCE + ": " + last);
    }

    private static void awaitPort(int port, Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < until) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
        throw new IllegalStateException("nothing listened on 127.0.0.1:" + port + " within " + patience);
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        line.addAll(Arrays.asList(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /** A fixed wait where there is nothing to poll for (start-up work settling). */
    private static void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private long clockTicks() {
        return Long.parseLong(arg("clk-tck"));
    }

    private Duration seconds(String name) {
        return Duration.ofSeconds(Long.parseLong(arg(name)));
    }

    private static List<Integer> ints(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt)
                .toList();
    }

    private String arg(String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void log(String format, Object... values) {
        System.err.printf("[bench] " + format + "%n", values);
    }
}
