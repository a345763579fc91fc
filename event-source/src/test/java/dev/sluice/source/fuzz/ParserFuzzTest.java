package dev.sluice.source.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.source.EventKey;
import dev.sluice.source.IngressException;
import dev.sluice.source.http.HttpRequestReader;
import dev.sluice.source.kafka.KafkaRecordMapper;
import dev.sluice.source.mqtt.MqttMessage;
import dev.sluice.source.mqtt.MqttMessageMapper;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Jazzer fuzz tests of the parsers that turn outside bytes into CloudEvents: the HTTP reader (binary, structured,
 * batch and plain JSON), the Kafka record mapper and the MQTT message mapper. No exception may escape but the one
 * each documents: {@link IngressException} with 400, 413 or 415 from HTTP, {@link IllegalArgumentException} from
 * Kafka (refused, counted, acknowledged), none from MQTT.
 *
 * <p>An input reads like a message: header lines {@code name: value}, an empty line, the body. So the seed corpus
 * ({@code src/test/resources/dev/sluice/source/fuzz/ParserFuzzTestInputs/<test>/}) is readable and holds one
 * example of each mode. {@code mvn test} runs the seeds (regression mode); {@code benchmarks/fuzz.sh} fuzzes.
 */
class ParserFuzzTest {
    private static final EventKey KEY = new EventKey("default", "shop", "orders");
    private static final HttpRequestReader HTTP = new HttpRequestReader(new ObjectMapper(), 1000);
    private static final KafkaRecordMapper KAFKA = new KafkaRecordMapper(KEY, "orders");
    private static final MqttMessageMapper MQTT = new MqttMessageMapper(KEY, "$share/sluice/shop/#");
    /** What an HTTP/1.1 parser lets through to a handler: a token as the name, no control character but tab. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F]");

    @FuzzTest(maxDuration = "5m")
    void httpRequestReader(byte[] input) {
        Message message = Message.parse(input);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : message.headers()) {
            if (HEADER_NAME.matcher(header.getKey()).matches()) {
                headers.add(header.getKey(), CONTROL.matcher(header.getValue()).replaceAll(""));
            }
        }
        try {
            List<CloudEvent> events = HTTP.read(KEY, headers, Buffer.buffer(message.body()));
            assertThat(events).isNotEmpty().doesNotContainNull();
            events.forEach(ParserFuzzTest::readAll);
        } catch (IngressException e) {
            assertThat(e.status()).as(e.getMessage()).isIn(400, 413, 415);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void kafkaRecordMapper(byte[] input) {
        Message message = Message.parse(input);
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : message.headers()) {
            if (!header.getKey().equals("key")) {
                headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        String key = message.headers().stream().filter(h -> h.getKey().equals("key")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 0, input.length, input.length,
                TimestampType.CREATE_TIME, -1, message.body().length, key, message.body(), headers, Optional.empty());
        try {
            readAll(KAFKA.toEvent(record));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("not a valid CloudEvent");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void mqttMessageMapper(byte[] input) {
        Message message = Message.parse(input);
        String topic = message.header("topic").orElse("shop/orders");
        String contentType = message.header("content-type").orElse(null);
        readAll(MQTT.toEvent(new MqttMessage(topic, message.body(), 1, false, contentType, () -> {
        })));
    }

    /** What the services do next with an event: read every attribute and extension, and its data. */
    private static void readAll(CloudEvent event) {
        assertThat(event).isNotNull();
        assertThat(event.getId()).isNotNull();
        event.getAttributeNames().forEach(event::getAttribute);
        event.getExtensionNames().forEach(event::getExtension);
        if (event.getData() != null) {
            event.getData().toBytes();
        }
    }

    /** Header lines, an empty line, a body; bytes without an empty line are all body. */
    record Message(List<Map.Entry<String, String>> headers, byte[] body) {
        static Message parse(byte[] input) {
            int split = -1;
            for (int i = 0; i + 1 < input.length; i++) {
                if (input[i] == '\n' && input[i + 1] == '\n') {
                    split = i;
                    break;
                }
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (split < 0) {
                return new Message(headers, input);
            }
            for (String line : new String(input, 0, split, StandardCharsets.UTF_8).split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
                }
            }
            byte[] body = new byte[input.length - split - 2];
            System.arraycopy(input, split + 2, body, 0, body.length);
            return new Message(headers, body);
        }

        Optional<String> header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
        }
    }
}
