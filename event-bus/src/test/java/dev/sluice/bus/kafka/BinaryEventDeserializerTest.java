package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.sluice.cloudevents.BinaryEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cloudevents.rw.CloudEventRWException;

class BinaryEventDeserializerTest {
    private static final byte[] DATA = "{\"amount\":150}".getBytes(StandardCharsets.UTF_8);

    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final CloudEventDeserializer sdk = new CloudEventDeserializer();
    private final BinaryEventDeserializer deserializer = new BinaryEventDeserializer();

    BinaryEventDeserializerTest() {
        serializer.configure(Map.of(), false);
        sdk.configure(Map.of(), false);
    }

    @Test
    void anEventFromHttpHeadersGoesOnTheBusAndComesBackWithItsTextsAsTheyCame() {
        BinaryEvent received = new BinaryEvent.Headers().put("ID", "o-1").put("source", "/shop/orders")
                .put("type", "shop.order").put("time", "2026-01-02T03:04:05.678+01:00").put("subject", "A-1")
                .put("datacontenttype", "application/json").put("region", "eu").put("sluicehops", "2").toEvent(DATA);
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize("orders", headers, received);

        assertThat(text(headers, "ce_time")).isEqualTo("2026-01-02T03:04:05.678+01:00");
        assertThat(text(headers, "content-type")).isEqualTo("application/json");
        assertThat(value).isSameAs(DATA);
        CloudEvent decoded = deserializer.deserialize("orders", headers, value);
        assertThat(decoded).isInstanceOf(BinaryEvent.class).isEqualTo(received);
        assertSameAttributes(decoded, sdk.deserialize("orders", headers, value));
    }

    @Test
    void anEventTheSdkBuiltReadsTheSameAsWithTheSdk() {
        CloudEvent built = CloudEventBuilder.v1().withId("o-2").withSource(URI.create("/shop"))
                .withType("shop.order").withTime(OffsetDateTime.parse("2026-01-02T03:04:05Z"))
                .withDataSchema(URI.create("https://example.com/order.json")).withExtension("sluicehops", 1)
                .withDataContentType("application/json").withData(DATA).build();
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize("orders", headers, built);

        assertSameAttributes(deserializer.deserialize("orders", headers, value),
                sdk.deserialize("orders", headers, value));
    }

    @Test
    void anEventWithoutDataHasNone() {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize("orders", headers, CloudEventBuilder.v1().withId("o-3")
                .withSource(URI.create("/shop")).withType("shop.tick").build());

        assertThat(deserializer.deserialize("orders", headers, value).getData()).isNull();
    }

    @Test
    void aRecordThatIsNoValidEventIsRefusedAsTheSdkRefusesIt() {
        assertThatThrownBy(() -> decode(Map.of("ce_source", "/s", "ce_type", "t")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'id' cannot be null");
        assertThatThrownBy(() -> decode(Map.of("ce_id", "1", "ce_source", "/s", "ce_type", "t", "ce_time", "noon")))
                .isInstanceOf(CloudEventRWException.class);
        assertThatThrownBy(() -> decode(Map.of("ce_id", "1", "ce_source", "a b", "ce_type", "t")))
                .isInstanceOf(CloudEventRWException.class);
        assertThatThrownBy(() -> decode(Map.of("ce_id", "1", "ce_source", "/s", "ce_type", "t", "ce_my-ext", "x")))
                .isInstanceOf(CloudEventRWException.class);
    }

    private CloudEvent decode(Map<String, String> texts) {
        Headers headers = new RecordHeaders().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        texts.forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return deserializer.deserialize("orders", headers, DATA);
    }

    private static void assertSameAttributes(CloudEvent ours, CloudEvent theirs) {
        assertThat(ours.getAttributeNames()).containsExactlyInAnyOrderElementsOf(theirs.getAttributeNames());
        for (String name : theirs.getAttributeNames()) {
            assertThat(ours.getAttribute(name)).as(name).isEqualTo(theirs.getAttribute(name));
        }
        assertThat(ours.getExtensionNames()).containsExactlyInAnyOrderElementsOf(theirs.getExtensionNames());
        for (String name : theirs.getExtensionNames()) {
            assertThat(ours.getExtension(name)).as(name).isEqualTo(theirs.getExtension(name));
        }
        assertThat(ours.getData() == null ? null : ours.getData().toBytes())
                .isEqualTo(theirs.getData() == null ? null : theirs.getData().toBytes());
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
