package dev.sluice.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.source.EventKey;
import io.cloudevents.CloudEvent;

class KafkaRecordMapperTest {
    private final KafkaRecordMapper mapper = new KafkaRecordMapper(new EventKey("shop", "payments-es", "payments"), "payments");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", quoteCharacter = '`', textBlock = """
            JSON value                 | k1   | {"amount":5}  | null                          | partition:2/offset:7 | dev.sluice.kafka.message | application/json         | k1
            JSON scalar                | null | 42            | null                          | partition:2/offset:7 | dev.sluice.kafka.message | application/json         | null
            text value                 | null | hello         | null                          | partition:2/offset:7 | dev.sluice.kafka.message | application/octet-stream | null
            two JSON values            | null | {} {}         | null                          | partition:2/offset:7 | dev.sluice.kafka.message | application/octet-stream | null
            declared content type      | null | a,b           | text/csv                      | partition:2/offset:7 | dev.sluice.kafka.message | text/csv                 | null
            empty value                | ``   | ``            | null                          | partition:2/offset:7 | dev.sluice.kafka.message | null                     | null
            structured CloudEvent      | k2   | `{"specversion":"1.0","id":"s-1","source":"/x","type":"t.s"}` | application/cloudevents+json | s-1 | t.s | null | null
            """)
    void mapsEachKindOfRecord(String name, String key, String value, String contentType, String id, String type,
            String dataContentType, String partitionKey) {
        RecordHeaders headers = new RecordHeaders();
        if (contentType != null) {
            headers.add(new RecordHeader("content-type", contentType.getBytes(StandardCharsets.UTF_8)));
        }
        CloudEvent event = mapper.toEvent(record(key, value.isEmpty() ? null : value, headers));

        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getType()).isEqualTo(type);
        assertThat(event.getDataContentType()).isEqualTo(dataContentType);
        assertThat(Optional.ofNullable(event.getExtension("partitionkey")).map(Object::toString).orElse(null))
                .isEqualTo(partitionKey);
        if (type.equals(KafkaRecordMapper.TYPE)) {
            assertThat(event.getSource()).hasToString("/apis/v1alpha1/namespaces/shop/eventsources/payments-es#payments");
            assertThat(event.getTime()).isNotNull();
            assertThat(event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(value);
        }
    }

    @Test
    void aBinaryCloudEventPassesThroughUnchanged() {
        String id = "b-1";
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("ce_id", id.getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("ce_source", "/orders".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("ce_type", "shop.order".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("ce_subject", "o-1".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));

        CloudEvent event = mapper.toEvent(record("k", "{\"a\":1}", headers));

        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getSource()).hasToString("/orders");
        assertThat(event.getSubject()).isEqualTo("o-1");
        assertThat(event.getExtension("partitionkey")).isNull();
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            binary without id      | ce_specversion | 1.0                          | {}
            structured not JSON    | content-type   | application/cloudevents+json | {oops
            structured without id  | content-type   | application/cloudevents+json | `{"specversion":"1.0","source":"/x","type":"t"}`
            """)
    void aRecordThatClaimsToBeACloudEventAndIsNotIsRefused(String name, String header, String headerValue, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(header, headerValue.getBytes(StandardCharsets.UTF_8)));
        if (header.startsWith("ce_")) {
            headers.add(new RecordHeader("ce_source", "/x".getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("ce_type", "t".getBytes(StandardCharsets.UTF_8)));
        }
        assertThatThrownBy(() -> mapper.toEvent(record(null, value, headers)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a valid CloudEvent");
    }

    private static ConsumerRecord<String, byte[]> record(String key, String value, RecordHeaders headers) {
        return new ConsumerRecord<>("payments", 2, 7, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
