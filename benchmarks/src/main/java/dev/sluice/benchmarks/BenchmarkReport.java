package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes {@code docs/benchmarks.md} from one run's results (JMH's JSON, {@link EndToEndRun}'s results.json and a
 * description of the machine), with the data and the gnuplot script of the latency plot beside it.
 * <p>
 * Arguments, each {@code --name=value}: {@code results}, {@code jmh}, {@code machine}, {@code command},
 * {@code markdown}, {@code plot} (the PNG's file name, next to the markdown), {@code smoke} (true for a short run).
 */
public final class BenchmarkReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each owner of CPU time in the profile does on Sluice's path, for the shortfall explanations. */
    private static final Map<String, String> WHY = Map.of(
            "Kafka client (produce, fetch, commit)", "every event is produced once, fetched once per Trigger "
                    + "(one consumer group each), its offset committed asynchronously at most every 100 ms",
            "Netty (HTTP in and out, sockets)", "an HTTP request in and, per matching subscriber, one out: "
                    + "system calls and buffer copies per event",
            "Vert.x (HTTP server and client)", "routing, the body handler and the web client's request building",
            "CEL evaluation", "the planned CEL program: its field selections and numeric conversions per subscriber",
            "Jackson (JSON data into CEL variables)", "the event's JSON data is parsed into maps for CEL once per "
                    + "event and Trigger",
            "CloudEvents SDK (encode, decode)", "binary-mode encoding and decoding at each hop builds attribute "
                    + "maps and copies the data",
            "Micrometer (metrics)", "counters and histograms per event",
            "Sluice's own code", "Sluice's dispatch: lanes, futures, windows");

    private final Map<String, String> args;
    private final JsonNode results;
    private final Map<String, Double> jmh = new HashMap<>();

    private BenchmarkReport(Map<String, String> args) throws IOException {
        this.args = args;
        this.results = JSON.readTree(Path.of(args.get("results")).toFile());
        Path jmhFile = Path.of(args.get("jmh"));
        if (Files.exists(jmhFile)) {
            for (JsonNode benchmark : JSON.readTree(jmhFile.toFile())) {
                String name = benchmark.path("benchmark").asText();
                jmh.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
                        benchmark.path("primaryMetric").path("score").asDouble());
            }
        }
    }

    public static void main(String[] argv) throws IOException {
        new BenchmarkReport(EndToEndRun.arguments(argv)).write();
    }

    private void write() throws IOException {
        Path markdown = Path.of(args.get("markdown"));
        boolean smoke = Boolean.parseBoolean(args.getOrDefault("smoke", "false"));
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        if (smoke) {
            md.append("> **Smoke run on a busy machine.** Every step ran for a few seconds while other builds "
                    + "shared the two cores (see the load averages below): these figures prove that the suite runs "
                    + "end to end, not how fast Sluice is. Seconds after start-up the JIT compilers still take much "
                    + "of the CPU, which the CPU-per-event figures include. Run the command below on a quiet "
                    + "machine for figures to quote.\n\n");
        }
        md.append("Reproduce with one command from the repository root:\n\n```bash\n")
                .append(args.get("command")).append("\n```\n\n")
                .append("It builds what it needs, runs the JMH benchmarks, the raw Kafka baseline and the "
                        + "end-to-end load, profiles one more saturated step with JFR, and rewrites this page and "
                        + "its plot. Nothing in it runs in CI.\n\n");
        md.append(keptSection(markdown));
        md.append("## Machine\n\n```\n").append(Files.readString(Path.of(args.get("machine"))).strip())
                .append("\n```\n\n");
        md.append(setup());
        md.append(yardsticks(smoke));
        md.append(micro());
        md.append(endToEnd());
        md.append(profile());
        md.append(shortfalls());
        Files.writeString(markdown, md.toString());
        writePlot(markdown.getParent());
    }

    /** Where the hand-written report of the shared harness starts and ends: a run of this suite keeps it. */
    private static final String KEPT_START = "<!-- shared-harness:start -->";
    private static final String KEPT_END = "<!-- shared-harness:end -->";

    /** The shared harness's section of the page being replaced (written by hand, not by this suite), kept as it is. */
    private static String keptSection(Path markdown) throws IOException {
        if (!Files.exists(markdown)) {
            return "";
        }
        String old = Files.readString(markdown);
        int start = old.indexOf(KEPT_START);
        int end = old.indexOf(KEPT_END);
        return start < 0 || end < start ? "" : old.substring(start, end + KEPT_END.length()) + "\n\n";
    }

    private static String setup() {
        return """
                ## What runs

                - **End to end**: `wrk` (2 threads, keep-alive, a Lua script: binary-mode CloudEvents, 1 KB of JSON
                  data, `ce-time` stamped when each request is built) → Sluice in local mode (one JVM: the HTTP
                  source and the trigger; `-Xmx512m`) → Kafka → Trigger(s) with the condition
                  `order && event.data.amount > 100` (every event matches) → a counting sink (Vert.x, one event
                  loop, in the harness JVM) that answers 202 and records the latency from `ce-time` to receipt.
                  The broker is Sluice's embedded KRaft broker in a process of its own, so that "Sluice's CPU" is
                  the Sluice process alone, as Knative's figure counts its receiver and dispatcher without Kafka;
                  the broker's CPU is listed beside it. Topics have one partition.
                - **Separate processes**: the same with the event-source and trigger services as two processes
                  (as in a cluster); their CPU and RSS are summed, and idle RSS is shown per service.
                - **Fixed rates**: wrk has no rate of its own, so fewer connections each wait a fixed delay between
                  requests (about 60 ms apart); the achieved ingest rate is reported. **Saturation**: 64
                  connections, no delay. Nothing holds the ingress back while Triggers fall behind (the bus is
                  the buffer, as in Knative and Argo Events), so at saturation the sink may not have received
                  events × Triggers when the step's drain time ends: delivered/s is then what the Triggers
                  sustained, and latency includes the wait in the backlog.
                - **Warm-up**: each run (the baseline, and Sluice per mode and Trigger count) starts with a load
                  that is not measured, at its highest fixed rate (the baseline: saturated), so the JIT has
                  compiled the path the steps measure, and waits until its events have arrived. Each run has
                  its own EventSource, topic and consumer groups, so no run inherits another's backlog.
                - **Triggers**: 1, 10 and 100 Triggers on the same input; each delivers every event, so the sink
                  receives events × Triggers. Fixed rates are ingest rates, chosen per Trigger count.
                - **Raw Kafka baseline**: on the same broker, a producer configured like Sluice's (idempotent,
                  `acks=all`, `linger.ms=0`, at most 64 records in flight) sends records of the same shape
                  (`ce_*` headers, 1 KB of JSON) and a consumer configured like Sluice's (an asynchronous
                  commit at most every 100 ms) receives them; latency from the `ce_time` stamp to the
                  consumer's receipt.
                - **CPU** is user + system time from `/proc/PID/stat` over the step, per 1,000 delivered events
                  (seconds per 1,000 events = milliseconds per event). **RSS** from `/proc/PID/status`.

                """;
    }

    private String yardsticks(boolean smoke) {
        Optional<JsonNode> saturated = step(s -> is(s, "sluice", 1, "saturation"));
        Optional<JsonNode> sluiceAt1000 = step(s -> is(s, "sluice", 1, "1000"));
        Optional<JsonNode> kafkaAt1000 = step(s -> is(s, "kafka", 0, "1000"));
        Optional<JsonNode> kafkaSaturated = step(s -> is(s, "kafka", 0, "saturation"));
        double cpu = saturated.map(s -> s.path("sluiceCpuPer1000").asDouble()).orElse(Double.NaN);
        double rate = saturated.map(s -> s.path("deliveredRate").asDouble()).orElse(Double.NaN);
        double addedP99 = sluiceAt1000.isPresent() && kafkaAt1000.isPresent()
                ? sluiceAt1000.get().path("p99Millis").asDouble() - kafkaAt1000.get().path("p99Millis").asDouble()
                : Double.NaN;
        double celBoolean = jmh.getOrDefault("ConditionBenchmark.celInputBoolean", Double.NaN);
        double celField = jmh.getOrDefault("ConditionBenchmark.celDataField", Double.NaN);
        Map<String, Double> perService = idleRss("separate", 1);
        if (perService.isEmpty()) {
            perService = idleRss("local", 1);
        }
        double idleRss = perService.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String idleCell = perService.entrySet().stream()
                .map(e -> e.getKey() + " " + fmt(e.getValue(), "%.0f MiB")).reduce((a, b) -> a + ", " + b)
                .orElse("–") + (perService.containsKey("sluice") ? " (both services, one JVM)" : "");
        double ingestP99 = saturated.map(s -> s.path("ingestP99Millis").asDouble()).orElse(Double.NaN);
        StringBuilder md = new StringBuilder("## Against the yardsticks\n\n");
        md.append("Knative's Java Kafka data plane on this kind of machine (2 cores, wrk with 64 connections, 1 KB "
                + "events, a counting sink): 0.055 ms of CPU per delivered event (receiver + dispatcher), 11,800 "
                + "delivered events/s, ingest p99 9.3 ms, 220–236 MB RSS idle per process.\n\n");
        md.append("| yardstick | target | Sluice | raw Kafka | verdict |\n| --- | --- | --- | --- | --- |\n");
        String note = smoke ? " (smoke)" : "";
        md.append(row("CPU per delivered event, end to end (1 Trigger, saturation)", "≤ 0.040 ms",
                fmt(cpu, "%.3f ms"), kafkaSaturated.map(k -> fmt(k.path("brokerCpuPer1000").asDouble(),
                        "%.3f ms (broker)")).orElse("–"), verdict(cpu <= 0.04, cpu) + note));
        md.append(row("delivered events/s at saturation (1 Trigger)", "≥ 15,000", fmt(rate, "%,.0f"),
                kafkaSaturated.map(k -> fmt(k.path("deliveredRate").asDouble(), "%,.0f")).orElse("–"),
                verdict(rate >= 15000, rate) + note));
        md.append(row("added p99 latency over raw Kafka at 1,000 events/s", "≤ 1 ms",
                sluiceAt1000.map(s -> fmt(s.path("p99Millis").asDouble(), "p99 %.2f ms") + ", "
                        + fmt(addedP99, "%+.2f ms")).orElse("–"),
                kafkaAt1000.map(k -> fmt(k.path("p99Millis").asDouble(), "p99 %.2f ms")).orElse("–"),
                verdict(addedP99 <= 1, addedP99) + note));
        md.append(row("one simple CEL evaluation (input boolean; data-field comparison)", "≤ 150 ns",
                fmt(celBoolean, "%.0f ns") + "; " + fmt(celField, "%.0f ns"), "–",
                verdict(celBoolean <= 150 && celField <= 150, celBoolean + celField) + note));
        md.append(row("RSS when idle, per service (1 Trigger)", "< 150 MiB", idleCell,
                fmt(results.path("brokerIdleRssMiB").asDouble(Double.NaN), "%.0f MiB (broker)"),
                verdict(idleRss < 150, idleRss) + note));
        md.append(row("ingest p99 (202 after the bus acknowledged), saturation", "Knative: 9.3 ms",
                fmt(ingestP99, "%.2f ms"), "–", "for reference"));
        md.append('\n');
        return md.toString();
    }

    private String micro() {
        StringBuilder md = new StringBuilder("## JMH: conditions and codecs\n\n");
        if (jmh.isEmpty()) {
            return md.append("No JMH results in this run.\n\n").toString();
        }
        md.append("Average time per operation; each Sluice path beside a hand-written Java one doing the same on "
                + "the same 1 KB event.\n\n| what | Sluice's path | ns/op | hand-written Java | ns/op | ratio |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        String[][] pairs = {
                { "input boolean `order`", "ConditionBenchmark.celInputBoolean", "ConditionBenchmark.javaInputBoolean" },
                { "data field `order && event.data.amount > 100`", "ConditionBenchmark.celDataField",
                        "ConditionBenchmark.javaDataField" },
                { "two-input correlation on `orderId`", "ConditionBenchmark.celCorrelation",
                        "ConditionBenchmark.javaCorrelation" },
                { "data field per arriving event, from its data bytes", "ConditionBenchmark.celDataFieldPerEvent",
                        "ConditionBenchmark.javaDataFieldPerEvent" },
                { "event → CEL variables as a whole (JSON data parsed)", "ConditionBenchmark.eventVariables",
                        "ConditionBenchmark.javaReadAmount" },
                { "Kafka binary-mode encode, Sluice", "CodecBenchmark.sluiceKafkaEncode", "CodecBenchmark.javaKafkaEncode" },
                { "Kafka binary-mode decode, Sluice", "CodecBenchmark.sluiceKafkaDecode", "CodecBenchmark.javaKafkaDecode" },
                { "HTTP binary-mode decode, Sluice", "CodecBenchmark.sluiceHttpDecode", "CodecBenchmark.javaHttpDecode" },
                { "Kafka binary-mode encode", "CodecBenchmark.sdkKafkaEncode", "CodecBenchmark.javaKafkaEncode" },
                { "Kafka binary-mode decode", "CodecBenchmark.sdkKafkaDecode", "CodecBenchmark.javaKafkaDecode" },
                { "HTTP binary-mode decode (ingress)", "CodecBenchmark.sdkHttpDecode", "CodecBenchmark.javaHttpDecode" } };
        for (String[] pair : pairs) {
            double ours = jmh.getOrDefault(pair[1], Double.NaN);
            double theirs = jmh.getOrDefault(pair[2], Double.NaN);
            md.append("| ").append(pair[0]).append(" | `").append(pair[1].split("\\.")[1]).append("` | ")
                    .append(fmt(ours, "%,.1f")).append(" | `").append(pair[2].split("\\.")[1]).append("` | ")
                    .append(fmt(theirs, "%,.1f")).append(" | ").append(fmt(ours / theirs, "%.1f×")).append(" |\n");
        }
        return md.append('\n').toString();
    }

    private String endToEnd() {
        StringBuilder md = new StringBuilder("## End to end\n\n");
        md.append("![latency percentiles against offered rate](").append(args.get("plot")).append(")\n\n");
        md.append("Latency is from `ce-time` (stamped by the load generator) to the sink's receipt; ingest p99 is "
                + "wrk's, from sending a request to its 202.\n\n");
        md.append("### Raw Kafka baseline\n\n| offered/s | produced/s | delivered/s | delivered | p50 ms | p99 ms | "
                + "max ms | broker CPU s/1000 |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode s : results.path("steps")) {
            if (s.path("system").asText().equals("kafka")) {
                md.append(deliveryCells(s)).append(fmt(s.path("brokerCpuPer1000").asDouble(), "%.3f")).append(" |\n");
            }
        }
        List<String> runs = new ArrayList<>();
        for (JsonNode s : results.path("steps")) {
            String run = modeOf(s) + "/" + s.path("triggers").asInt();
            if (s.path("system").asText().equals("sluice") && !runs.contains(run)) {
                runs.add(run);
            }
        }
        for (String run : runs) {
            String mode = run.split("/")[0];
            int t = Integer.parseInt(run.split("/")[1]);
            md.append("\n### Sluice ").append(mode.equals("local") ? "local mode" : "event-source + trigger processes")
                    .append(", ").append(t).append(t == 1 ? " Trigger" : " Triggers")
                    .append(" (idle RSS ").append(idleDescription(mode, t)).append(")")
                    .append("\n\n| offered/s | ingested/s | delivered/s | delivered | p50 ms | p99 ms | max ms | "
                            + "ingest p99 ms | Sluice CPU s/1000 | broker CPU s/1000 | RSS MiB |\n"
                            + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (JsonNode s : results.path("steps")) {
                if (s.path("system").asText().equals("sluice") && s.path("triggers").asInt() == t
                        && modeOf(s).equals(mode)) {
                    md.append(deliveryCells(s))
                            .append(fmt(s.path("ingestP99Millis").asDouble(), "%.2f")).append(" | ")
                            .append(fmt(s.path("sluiceCpuPer1000").asDouble(), "%.3f")).append(" | ")
                            .append(fmt(s.path("brokerCpuPer1000").asDouble(), "%.3f")).append(" | ")
                            .append(fmt(s.path("rssMiB").asDouble(), "%.0f")).append(" |\n");
                }
            }
        }
        return md.append('\n').toString();
    }

    /** The cells every end-to-end row starts with, from the offered rate to the latency maximum. */
    private static String deliveryCells(JsonNode s) {
        return "| " + s.path("offered").asText() + " | " + fmt(s.path("ingestRate").asDouble(), "%,.0f") + " | "
                + fmt(s.path("deliveredRate").asDouble(), "%,.0f") + " | " + s.path("delivered").asLong() + " / "
                + s.path("expected").asLong() + " | " + fmt(s.path("p50Millis").asDouble(), "%.2f") + " | "
                + fmt(s.path("p99Millis").asDouble(), "%.2f") + " | " + fmt(s.path("maxMillis").asDouble(), "%.1f")
                + " | ";
    }

    private String profile() {
        JsonNode profile = results.path("profile");
        StringBuilder md = new StringBuilder("## Where the CPU goes (JFR, saturated, local mode, 1 Trigger)\n\n");
        long samples = profile.path("samples").asLong();
        if (samples == 0) {
            return md.append("No profile in this run.\n").toString();
        }
        md.append("A saturated step of its own after the measured ones, since starting a recording makes the JVM "
                + "recompile code and would cost the measured step CPU. ");
        md.append("Execution samples of the Sluice process (").append(samples).append("), charged to the code "
                + "that asked for the work (JDK frames go to their first non-JDK caller). The three largest "
                + "costs, and why Sluice pays them:\n\n");
        int rank = 0;
        for (JsonNode owner : profile.path("owners")) {
            String name = owner.path("name").asText();
            double share = 100.0 * owner.path("samples").asLong() / samples;
            if (rank < 3) {
                md.append(++rank).append(". **").append(name).append("**, ").append(fmt(share, "%.0f%%"))
                        .append(" of samples").append(WHY.containsKey(name) ? ": " + WHY.get(name) : "")
                        .append(".\n");
            }
        }
        md.append("\n| owner | share |\n| --- | --- |\n");
        for (JsonNode owner : profile.path("owners")) {
            md.append("| ").append(owner.path("name").asText()).append(" | ")
                    .append(fmt(100.0 * owner.path("samples").asLong() / samples, "%.1f%%")).append(" |\n");
        }
        md.append("\nHottest methods (self time):\n\n| method | share |\n| --- | --- |\n");
        for (JsonNode method : profile.path("methods")) {
            md.append("| `").append(method.path("name").asText()).append("` | ")
                    .append(fmt(100.0 * method.path("samples").asLong() / samples, "%.1f%%")).append(" |\n");
        }
        return md.append('\n').toString();
    }

    /** What the micro-benchmarks and the profile say about the yardsticks, with this run's figures. */
    private String shortfalls() {
        double celBoolean = jmh.getOrDefault("ConditionBenchmark.celInputBoolean", Double.NaN);
        double celField = jmh.getOrDefault("ConditionBenchmark.celDataField", Double.NaN);
        double javaField = jmh.getOrDefault("ConditionBenchmark.javaDataField", Double.NaN);
        double celPerEvent = jmh.getOrDefault("ConditionBenchmark.celDataFieldPerEvent", Double.NaN);
        double javaPerEvent = jmh.getOrDefault("ConditionBenchmark.javaDataFieldPerEvent", Double.NaN);
        double httpDecode = jmh.getOrDefault("CodecBenchmark.sluiceHttpDecode", Double.NaN);
        double kafkaDecode = jmh.getOrDefault("CodecBenchmark.sluiceKafkaDecode", Double.NaN);
        StringBuilder md = new StringBuilder("## Reading the shortfalls\n\n");
        md.append("- **CEL**: an input boolean costs ").append(fmt(celBoolean, "%.0f ns"))
                .append(", a data-field comparison ").append(fmt(celField, "%.0f ns")).append(" against ")
                .append(fmt(javaField, "%.0f ns")).append(" hand-written. The program is planned once (cel-java's "
                        + "planner runtime) and selects `event.data.amount` field by field without converting the "
                        + "event; what is left is CEL's own dispatch: each intermediate value is type-checked and "
                        + "converted, `amount` (an `int`) is compared with a heterogeneous numeric comparison, and "
                        + "`&&` goes through CEL's error-absorbing logic. Per arriving event, from its data bytes to "
                        + "the decision (variables made, only `amount` read out of the JSON, evaluated), it costs ")
                .append(fmt(celPerEvent, "%.0f ns")).append(" against ").append(fmt(javaPerEvent, "%.0f ns"))
                .append(" for Jackson's streaming parser picking `amount` by hand.\n");
        md.append("- **Codecs**: Sluice reads a binary-mode HTTP request in ")
                .append(fmt(httpDecode, "%.0f ns")).append(" and a Kafka record in ").append(fmt(kafkaDecode, "%.0f ns"))
                .append(" (`BinaryEvent`: the attribute texts as they came), paid once at ingress and once per "
                        + "Trigger on the bus; the SDK's readers and the hand-written codecs are listed beside them.\n");
        JsonNode pauses = results.path("profile").path("gcPauses");
        md.append("- **CPU and throughput**: the profile above names where the Sluice process spends its time. "
                + "Every event crosses HTTP twice (in, and out per subscriber) and Kafka twice (produce, and "
                + "fetch per Trigger); Netty and Vert.x, that is the two HTTP exchanges, take most of it. The ingress answers only after the bus acknowledged with "
                + "`acks=all`, so a connection's throughput is bounded by that round trip, and 64 connections "
                + "need the broker to answer within a few milliseconds.\n");
        md.append("- **Latency**: at a fixed rate Sluice adds about a millisecond at the median to raw Kafka (the "
                + "two HTTP exchanges); the tail matches the JVMs' garbage-collection pauses, which stop every "
                + "thread of a process while events are on their way through it: in the profiled saturated step, ")
                .append(pauses.path("count").asInt()).append(" collections paused the Sluice JVM for ")
                .append(fmt(pauses.path("medianMillis").asDouble(Double.NaN), "%.1f ms")).append(" (median), ")
                .append(fmt(pauses.path("maxMillis").asDouble(Double.NaN), "%.1f ms")).append(" at most, and "
                        + "an event also passes the broker's JVM and the sink's. A pause-less collector (ZGC) or "
                        + "a smaller young generation would trade CPU for that tail; this run uses the JVM's "
                        + "defaults (G1).\n");
        md.append("- **RSS**: the yardstick is per service, so it is read on the separate event-source and trigger "
                + "processes (`-Xmx512m` each). Each holds a Quarkus app with Vert.x, Kafka clients and the "
                + "CloudEvents, CEL and Jackson libraries loaded: an event-source with no resources at all "
                + "already takes about 134 MiB, with or without a smaller initial heap (`-Xms32m`, tried by "
                + "hand), and its bus's producer and admin client add the rest. Local mode runs both in one "
                + "JVM and is listed with its run; with 100 Triggers the trigger service holds 100 consumers, "
                + "each with its fetch buffer and its events in flight.\n\n");
        return md.toString();
    }

    /** latency.dat (offered rate, then p50 and p99 of Sluice with 1 Trigger and of raw Kafka) and latency.gp. */
    private void writePlot(Path folder) throws IOException {
        Map<Integer, double[]> rows = new java.util.TreeMap<>();
        for (JsonNode s : results.path("steps")) {
            String offered = s.path("offered").asText();
            boolean sluice = is(s, "sluice", 1, offered);
            boolean kafka = is(s, "kafka", 0, offered);
            if (offered.equals("saturation") || !(sluice || kafka)) {
                continue;
            }
            double[] row = rows.computeIfAbsent(Integer.parseInt(offered),
                    k -> new double[] { Double.NaN, Double.NaN, Double.NaN, Double.NaN });
            int at = sluice ? 0 : 2;
            row[at] = s.path("p50Millis").asDouble();
            row[at + 1] = s.path("p99Millis").asDouble();
        }
        StringBuilder data = new StringBuilder("# offered/s sluice_p50 sluice_p99 kafka_p50 kafka_p99 (ms)\n");
        rows.forEach((rate, r) -> data.append(rate).append(' ').append(num(r[0])).append(' ').append(num(r[1]))
                .append(' ').append(num(r[2])).append(' ').append(num(r[3])).append('\n'));
        // relative names: run gnuplot in this folder, and the committed script names no machine's paths
        String dat = "benchmarks-latency.dat";
        Files.writeString(folder.resolve(dat), data.toString());
        Files.writeString(folder.resolve("benchmarks-latency.gp"), """
                set terminal pngcairo size 900,540 noenhanced
                set output '%s'
                set title 'Latency, ingest to receipt, against offered rate (1 Trigger)'
                set xlabel 'offered events/s'
                set ylabel 'latency (ms)'
                set logscale y
                set key top left
                set grid
                set datafile missing 'NaN'
                plot '%s' using 1:2 with linespoints title 'Sluice p50', \\
                     '' using 1:3 with linespoints title 'Sluice p99', \\
                     '' using 1:4 with linespoints title 'raw Kafka p50', \\
                     '' using 1:5 with linespoints title 'raw Kafka p99'
                """.formatted(args.get("plot"), dat));
    }

    private Optional<JsonNode> step(Predicate<JsonNode> which) {
        for (JsonNode s : results.path("steps")) {
            if (which.test(s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** A step of {@code system}; Sluice's in local mode, which the yardsticks and the plot compare. */
    private static boolean is(JsonNode step, String system, int triggers, String offered) {
        return step.path("system").asText().equals(system) && step.path("triggers").asInt() == triggers
                && step.path("offered").asText().equals(offered)
                && (!system.equals("sluice") || modeOf(step).equals("local"));
    }

    private static String modeOf(JsonNode step) {
        return step.path("mode").asText("local");
    }

    /** Idle RSS of each process of a run, in MiB, by service name; empty when the run did not happen. */
    private Map<String, Double> idleRss(String mode, int triggers) {
        Map<String, Double> rss = new java.util.LinkedHashMap<>();
        for (JsonNode idle : results.path("idle")) {
            if (idle.path("triggers").asInt() == triggers && idle.path("mode").asText("local").equals(mode)) {
                idle.path("rssMiB").fields().forEachRemaining(e -> rss.put(e.getKey(), e.getValue().asDouble()));
            }
        }
        return rss;
    }

    private String idleDescription(String mode, int triggers) {
        return idleRss(mode, triggers).entrySet().stream()
                .map(e -> e.getKey() + " " + fmt(e.getValue(), "%.0f MiB")).reduce((a, b) -> a + ", " + b)
                .orElse("–");
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String verdict(boolean met, double value) {
        return Double.isNaN(value) ? "not measured" : met ? "meets" : "falls short";
    }

    private static String fmt(double value, String format) {
        return Double.isNaN(value) || value < 0 && !format.contains("+") ? "–" : String.format(Locale.ROOT, format, value);
    }

    private static String num(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
    }
}
