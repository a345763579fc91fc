package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a JFR recording: execution samples by the method on top of the stack, and by the code
 * that owns it. JDK frames (collections, strings, I/O) are charged to the first non-JDK caller, so that the cost
 * lands on the library that asked for the work: Kafka's client, Netty, CEL, Jackson, the CloudEvents SDK, Sluice.
 */
final class ProfileSummary {
    /** Code owners, by package prefix, longest first where they overlap. */
    private static final Map<String, String> OWNERS = new LinkedHashMap<>();

    static {
        OWNERS.put("org.apache.kafka.", "Kafka client (produce, fetch, commit)");
        OWNERS.put("kafka.", "Kafka client (produce, fetch, commit)");
        OWNERS.put("io.netty.", "Netty (HTTP in and out, sockets)");
        OWNERS.put("io.vertx.", "Vert.x (HTTP server and client)");
        OWNERS.put("dev.cel.", "CEL evaluation");
        OWNERS.put("com.google.protobuf.", "CEL evaluation");
        OWNERS.put("com.google.common.", "CEL evaluation");
        OWNERS.put("com.fasterxml.jackson.", "Jackson (JSON data into CEL variables)");
        OWNERS.put("io.cloudevents.", "CloudEvents SDK (encode, decode)");
        OWNERS.put("io.micrometer.", "Micrometer (metrics)");
        OWNERS.put("io.opentelemetry.", "OpenTelemetry");
        OWNERS.put("io.quarkus.", "Quarkus");
        OWNERS.put("io.smallrye.", "Quarkus");
        OWNERS.put("dev.sluice.", "Sluice's own code");
        OWNERS.put("org.jboss.logging.", "Logging");
        OWNERS.put("org.jboss.logmanager.", "Logging");
    }

    /**
     * Sample counts by top-of-stack method and by owner, largest first; and the garbage collections' pauses,
     * which stop every thread and so land in the latency of whatever events were on their way.
     */
    record Summary(long samples, List<Share> methods, List<Share> owners, Pauses gcPauses) {
    }

    /** How many collections paused the JVM, and their median and longest pause in milliseconds. */
    record Pauses(int count, double medianMillis, double maxMillis) {
    }

    record Share(String name, long samples) {
    }

    /**
     * Prints a recording's summary as Markdown tables: {@code ProfileSummary FILE.jfr [TOP]} (the shared harness's
     * profiles in {@code docs/benchmarks.md}).
     */
    public static void main(String[] args) throws IOException {
        Summary summary = of(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 10);
        System.out.printf("%d execution samples; %d GC pauses, median %.1f ms, longest %.1f ms%n%n", summary.samples(),
                summary.gcPauses().count(), summary.gcPauses().medianMillis(), summary.gcPauses().maxMillis());
        System.out.println("| owner | share |\n| --- | --- |");
        summary.owners().forEach(s -> System.out.printf("| %s | %.1f%% |%n", s.name(), 100.0 * s.samples() / summary.samples()));
        System.out.println("\n| method | share |\n| --- | --- |");
        summary.methods().forEach(s -> System.out.printf("| `%s` | %.1f%% |%n", s.name(), 100.0 * s.samples() / summary.samples()));
    }

    static Summary of(Path recording, int top) throws IOException {
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> owners = new HashMap<>();
        long samples = 0;
        List<Double> pauses = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.GarbageCollection")) {
                double pausedMillis = event.getDuration("sumOfPauses").toNanos() / 1e6;
                if (pausedMillis > 0) { // G1's concurrent cycles stop nothing
                    pauses.add(pausedMillis);
                }
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            RecordedFrame first = frames.get(0);
            methods.merge(first.getMethod().getType().getName() + "." + first.getMethod().getName(), 1L, Long::sum);
            owners.merge(owner(frames), 1L, Long::sum);
        }
        Collections.sort(pauses);
        Pauses gcPauses = new Pauses(pauses.size(), pauses.isEmpty() ? 0 : pauses.get(pauses.size() / 2),
                pauses.isEmpty() ? 0 : pauses.get(pauses.size() - 1));
        return new Summary(samples, largest(methods, top), largest(owners, top), gcPauses);
    }

    private static String owner(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
                if (type.startsWith(owner.getKey())) {
                    return owner.getValue();
                }
            }
            if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
            }
        }
        return "JDK only (GC helpers, threads, timers)";
    }

    private static List<Share> largest(Map<String, Long> counts, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> new Share(e.getKey(), e.getValue())).toList();
    }
}
