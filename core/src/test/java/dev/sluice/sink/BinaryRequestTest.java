package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.sluice.cloudevents.BinaryEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

class BinaryRequestTest {
    @Test
    void anEventFromTheBusLeavesWithItsHeaderTextsAndDataAsTheyCame() {
        byte[] data = "{\"amount\":150}".getBytes(StandardCharsets.UTF_8);
        BinaryEvent event = new BinaryEvent.Headers().put("id", "o-1").put("source", "/shop/orders")
                .put("type", "shop.order").put("time", "2026-01-02T03:04:05.678+01:00")
                .put("datacontenttype", "application/json")
                .put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .toEvent(data).withExtension("sluicehops", "1");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();

        Buffer body = BinaryRequest.write(event, headers);

        assertThat(headers.entries()).extracting(e -> e.getKey() + ": " + e.getValue()).containsExactly(
                "ce-specversion: 1.0", "ce-id: o-1", "ce-source: /shop/orders", "ce-type: shop.order",
                "content-type: application/json", "ce-time: 2026-01-02T03:04:05.678+01:00",
                "ce-traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "ce-sluicehops: 1");
        assertThat(body.getBytes()).isEqualTo(data);
    }
}
