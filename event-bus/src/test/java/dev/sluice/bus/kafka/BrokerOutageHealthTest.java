package dev.sluice.bus.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.bus.Buses;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A broker outage makes the service unready and never dead: readiness follows the bus down and back up, and
 * liveness answers UP all along, so Kubernetes stops routing to the service but does not restart it.
 */
@QuarkusTest
@TestProfile(BrokerOutageHealthTest.FixedBrokerPort.class)
class BrokerOutageHealthTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

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

    @Test
    void readinessFollowsTheBrokerWhileLivenessStaysUp() {
        buses.resolve("default", "default", "spec.eventBus"); // a bus in use, as a resource would open it
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready().getString("status")).isEqualTo("UP"));
        assertThat(ready().getMap("checks.find { it.name == 'sluice-bus' }.data").values()).containsOnly("reachable");
        assertThat(ready().getString("checks.find { it.name == 'sluice-resources' }.status")).isEqualTo("UP");

        broker.stop();
        try {
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonPath ready = ready();
                assertThat(ready.getString("status")).isEqualTo("DOWN");
                assertThat(ready.getMap("checks.find { it.name == 'sluice-bus' }.data").values())
                        .containsOnly("unreachable");
            });
            for (int i = 0; i < 5; i++) {
                given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            }
        } finally {
            broker.start();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready().getString("status")).isEqualTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
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
