package dev.sluice.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/** The events every benchmark uses: orders of 1 KB of JSON data, as the load run sends them. */
final class BenchEvents {
    /** Bytes of JSON data per event, the record size. */
    static final int DATA_BYTES = 1024;

    private BenchEvents() {
    }

    /** A JSON object of exactly {@link #DATA_BYTES} bytes with the given amount and order id. */
    static byte[] orderData(long amount, String orderId) {
        String head = "{\"amount\":" + amount + ",\"orderId\":\"" + orderId + "\",\"pad\":\"";
        String tail = "\"}";
        int padding = DATA_BYTES - head.length() - tail.length();
        if (padding < 0) {
            throw new IllegalArgumentException("order id too long for " + DATA_BYTES + " bytes");
        }
        return (head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8);
    }

    static CloudEvent order(String id, String type, long amount, String orderId) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/bench")).withType(type)
                .withTime(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000, ZoneOffset.UTC))
                .withDataContentType("application/json").withData(orderData(amount, orderId)).build();
    }
}
