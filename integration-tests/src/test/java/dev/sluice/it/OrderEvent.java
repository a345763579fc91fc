package dev.sluice.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One order event as the tests post it. The amounts alternate between the two sides of the
 * {@code event.data.amount > 100} condition and include both edges, 100 and 101.
 */
record OrderEvent(String id, int amount) {

    static final String SOURCE = "/sluice-it/shop";
    static final String TYPE = "dev.sluice.it.order";
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

    /** Even numbers are big orders (101..500), odd numbers small ones (1..100). */
    static OrderEvent numbered(String idPrefix, long number) {
        long step = number / 2;
        int amount = number % 2 == 0 ? 101 + (int) (step % 400) : 100 - (int) (step % 100);
        return new OrderEvent(idPrefix + "-" + number, amount);
    }

    /** Whether {@code order && event.data.amount > 100} holds for this event. */
    boolean isBig() {
        return amount > 100;
    }

    String json() {
        return "{\"orderId\":\"" + id + "\",\"amount\":" + amount + "}";
    }

    /** A binary-mode CloudEvent POST of this order to an ingestion URL. */
    HttpRequest binaryPost(URI ingress) {
        return binaryPost(ingress, id, json());
    }

    /** A binary-mode CloudEvent POST: the attributes in {@code ce-*} headers, the data as a JSON body. */
    static HttpRequest binaryPost(URI ingress, String id, String jsonData) {
        return HttpRequest.newBuilder(ingress)
                .timeout(POST_TIMEOUT)
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", SOURCE)
                .header("ce-type", TYPE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonData))
                .build();
    }
}
