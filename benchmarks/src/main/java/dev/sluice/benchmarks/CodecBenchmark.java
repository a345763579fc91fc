package dev.sluice.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.sluice.bus.kafka.BinaryEventDeserializer;
import dev.sluice.cloudevents.BinaryEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The CloudEvent codecs on Sluice's path, in binary mode, each beside a hand-written codec of the same event:
 * onto a Kafka record ({@code ce_*} headers, the data as value) and back, as the bus does; and from an HTTP request
 * ({@code ce-*} headers, the data as body), as the HTTP source does. The hand-written ones know the event's shape
 * and build a plain record, which is the floor the CloudEvents SDK's generality is measured against. The
 * {@code sluice*} ones are Sluice's own path ({@link BinaryEvent}, {@link BinaryEventDeserializer}); the
 * {@code sdk*} ones the SDK's readers and the SDK's builder-made event, as Sluice used them before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    /** What a hand-written decoder of these events produces. */
    public record Order(String id, String source, String type, String time, String contentType, byte[] data) {
    }

    private static final String TOPIC = "bench";

    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();
    private CloudEvent event;
    private byte[] recordValue;
    private Headers recordHeaders;
    private MultiMap httpHeaders;
    private Buffer httpBody;
    private BinaryEvent binaryEvent;
    private final BinaryEventDeserializer binaryDeserializer = new BinaryEventDeserializer();

    @Setup
    public void encodeOnce() {
        serializer.configure(Map.of(), false);
        deserializer.configure(Map.of(), false);
        event = BenchEvents.order("o-1", "shop.order", 150, "A-1");
        recordHeaders = new RecordHeaders();
        recordValue = serializer.serialize(TOPIC, recordHeaders, event);
        httpHeaders = MultiMap.caseInsensitiveMultiMap()
                .add("ce-specversion", "1.0").add("ce-id", event.getId()).add("ce-source", "/bench")
                .add("ce-type", event.getType()).add("ce-time", event.getTime().toString())
                .add("content-type", "application/json");
        httpBody = Buffer.buffer(recordValue);
        binaryEvent = BinaryEvent.fromHttp(httpHeaders, httpBody);
    }

    @Benchmark
    public Headers sluiceKafkaEncode() {
        Headers headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, binaryEvent);
        return headers;
    }

    @Benchmark
    public CloudEvent sluiceKafkaDecode() {
        return binaryDeserializer.deserialize(TOPIC, recordHeaders, recordValue);
    }

    @Benchmark
    public CloudEvent sluiceHttpDecode() {
        return BinaryEvent.fromHttp(httpHeaders, httpBody);
    }

    @Benchmark
    public Headers sdkKafkaEncode() {
        Headers headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, event);
        return headers;
    }

    @Benchmark
    public Headers javaKafkaEncode() {
        Headers headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(event.getId()));
        headers.add("ce_source", bytes(event.getSource().toString()));
        headers.add("ce_type", bytes(event.getType()));
        headers.add("ce_time", bytes(event.getTime().toString()));
        headers.add("content-type", bytes(event.getDataContentType()));
        event.getData().toBytes();
        return headers;
    }

    @Benchmark
    public CloudEvent sdkKafkaDecode() {
        return deserializer.deserialize(TOPIC, recordHeaders, recordValue);
    }

    @Benchmark
    public Order javaKafkaDecode() {
        return new Order(header(recordHeaders, "ce_id"), header(recordHeaders, "ce_source"),
                header(recordHeaders, "ce_type"), header(recordHeaders, "ce_time"),
                header(recordHeaders, "content-type"), recordValue);
    }

    @Benchmark
    public CloudEvent sdkHttpDecode() {
        return VertxMessageFactory.createReader(httpHeaders, httpBody).toEvent();
    }

    @Benchmark
    public Order javaHttpDecode() {
        return new Order(httpHeaders.get("ce-id"), httpHeaders.get("ce-source"), httpHeaders.get("ce-type"),
                httpHeaders.get("ce-time"), httpHeaders.get("content-type"), httpBody.getBytes());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
