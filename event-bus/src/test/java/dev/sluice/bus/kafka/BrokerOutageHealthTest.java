package dev.sluice.bus.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.bus.Bus;
import dev.sluice.bus.Buses;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;

/**
 * A broker outage makes the service unready and never dead: readiness follows the bus down and back up, and
 * liveness answers UP all along, so Kubernetes stops routing to the service but does not restart it. A publish
 * never blocks its caller, an event loop included, and works again once the broker is back, without a restart.
 */
@QuarkusTest
@TestProfile(BrokerOutageHealthTest.FixedBrokerPort.class)
class BrokerOutageHealthTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Far below Vert.x's blocked-thread warning (2 s) and the producer's max.block.ms (10 s). */
    private static final long NON_BLOCKING_MILLIS = 500;

    /** The broker comes back on the port the bus's clients know; its own app, since this test stops the broker. */
    public static class FixedBrokerPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.port", String.valueOf(freePort()),
                    "sluice.health.bus-probe-interval", "200ms", "sluice.health.bus-probe-timeout", "500ms");
        }
    }

    @Inject
    Buses buses;

    @Inject
    EmbeddedKafkaBroker broker;

    @Inject
    Vertx vertx;

    @Test
    void readinessFollowsTheBrokerWhileLivenessStaysUpAndNothingBlocks() throws Exception {
        // a bus in use, as a Trigger would hold it
        Buses.Resolved resolved = buses.resolve("default", "default", "spec.eventBus");
        buses.use(new ResourceKey("Trigger", "default", "outage"), resolved);
        Bus bus = resolved.bus();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready().getString("status")).isEqualTo("UP"));
        assertThat(ready().getMap("checks.find { it.name == 'sluice-bus' }.data").values()).containsOnly("reachable");
        assertThat(ready().getString("checks.find { it.name == 'sluice-resources' }.status")).isEqualTo("UP");
        bus.publish("outage-topic", event("before")).toCompletableFuture().get(30, TimeUnit.SECONDS);

        broker.stop();
        try {
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonPath ready = ready();
                assertThat(ready.getString("status")).isEqualTo("DOWN");
                assertThat(ready.getMap("checks.find { it.name == 'sluice-bus' }.data").values())
                        .containsOnly("unreachable");
            });
            // publish from an event loop, to a topic whose metadata the producer lacks: it must return at once
            long publishMillis = onEventLoop(() -> bus.publish("never-seen-" + System.nanoTime(), event("during")));
            assertThat(publishMillis).as("publish on an event loop with the broker down").isLessThan(NON_BLOCKING_MILLIS);
            for (int i = 0; i < 5; i++) {
                given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            }
        } finally {
            broker.start();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready().getString("status")).isEqualTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // the same connection publishes again: no restart needed
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            bus.publish("outage-topic", event("after")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            return true;
        });
        buses.release(new ResourceKey("Trigger", "default", "outage"));
    }

    /** How long {@code call} held the event loop it ran on. */
    private long onEventLoop(java.util.function.Supplier<?> call) throws Exception {
        CompletableFuture<Long> held = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            long start = System.nanoTime();
            call.get();
            held.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
        return held.get(30, TimeUnit.SECONDS);
    }

    private static io.cloudevents.CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/outage")).withType("test").build();
    }

    private static JsonPath ready() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
