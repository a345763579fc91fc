package dev.sluice.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.ResourceKey;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.ResourceParser;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A canary secret through every path, inline and by reference (the {@code canary} Secret in the resources folder):
 * the Kafka bus's SASL password, the Kafka source's SASL password and TLS key, the MQTT source's password, and an
 * HTTP bearer token that is used. Then every output is searched for it: the log (at DEBUG for Sluice's code),
 * {@code /resources}, {@code /q/health}, {@code /q/metrics} and every resource's status.
 */
@QuarkusTest
class SecretsNeverShownTest {
    private static final List<String> CANARIES = List.of("c4n4ry-inline-bus-3d1f", "c4n4ry-inline-source-77ab",
            "c4n4ry-inline-mqtt-e210", "c4n4ry-ref-password-5e8a", "c4n4ry-ref-token-91d2", "c4n4ry-ref-key-0b77");

    @Inject
    ResourceCatalog catalog;

    @Inject
    LocalKafkaBroker broker;

    @Inject
    ObjectMapper mapper;

    @Test
    void noCanaryAppearsInAnyOutput() throws Exception {
        Queue<String> log = new ConcurrentLinkedQueue<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                log.add(record.getFormattedMessage() + " " + thrown(record));
            }
        };
        Logger root = LogContext.getLogContext().getLogger("");
        Logger sluice = LogContext.getLogContext().getLogger("dev.sluice");
        Level before = sluice.getLevel();
        root.addHandler(capture);
        sluice.setLevel(Level.FINEST);
        try {
            String brokers = broker.bootstrapServers().orElseThrow();
            upsert("""
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventBus
                    metadata: {name: leaky-inline, namespace: default}
                    spec:
                      kafka: {brokers: "%s", authRequired: true, saslUsername: u, saslPassword: c4n4ry-inline-bus-3d1f}
                    ---
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventBus
                    metadata: {name: leaky-ref, namespace: default}
                    spec:
                      kafka:
                        brokers: "%s"
                        authRequired: true
                        saslUsername: u
                        saslPasswordSecretRef: {name: canary, key: password}
                    ---
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventBus
                    metadata: {name: leaky-lost, namespace: default}
                    spec:
                      kafka:
                        brokers: "%s"
                        authRequired: true
                        saslUsername: u
                        saslPasswordSecretRef: {name: canary, key: nothing}
                    ---
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventSource
                    metadata: {name: leaky-sources, namespace: default}
                    spec:
                      eventBus: default
                      kafka:
                        inline: {brokers: "127.0.0.1:9", topic: t, authRequired: true, saslUsername: u, saslPassword: c4n4ry-inline-source-77ab}
                        byref:
                          brokers: "127.0.0.1:9"
                          topic: t
                          authRequired: true
                          saslUsername: u
                          saslPasswordSecretRef: {name: canary, key: password}
                          tls: {clientCert: "not a certificate", clientKeySecretRef: {name: canary, key: key}}
                      mqtt:
                        inline: {url: "tcp://127.0.0.1:9", topic: t, username: u, password: c4n4ry-inline-mqtt-e210}
                        byref: {url: "tcp://127.0.0.1:9", topic: t, username: u, passwordSecretRef: {name: canary, key: password}}
                      http:
                        hook:
                          auth: {bearer: {secretRef: {name: canary, key: token}}}
                    """.formatted(brokers, brokers, brokers));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(status("EventBus", "leaky-inline")).contains("BindingReady");
                assertThat(status("EventBus", "leaky-ref")).contains("BindingReady");
                assertThat(status("EventBus", "leaky-lost")).contains("SecretNotFound", "spec.kafka.saslPasswordSecretRef");
                assertThat(status("EventSource", "leaky-sources")).contains("SourcesReady");
                given().header("Authorization", "Bearer c4n4ry-ref-token-91d2").contentType("application/json")
                        .body("{}").post("/default/leaky-sources/hook").then().statusCode(202);
            });
            given().header("Authorization", "Bearer c4n4ry-inline-bus-3d1f").contentType("application/json").body("{}")
                    .post("/default/leaky-sources/hook").then().statusCode(401);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().get("/q/health/ready").asString())
                    .doesNotContain("not probed yet"));

            List<String> outputs = List.of(
                    given().get("/resources").asString(),
                    given().get("/q/health").asString(),
                    given().get("/q/health/ready").asString(),
                    given().get("/q/metrics").asString(),
                    mapper.writeValueAsString(catalog.list().stream().map(r -> r.getStatus()).toList()),
                    String.join("\n", log));
            assertThat(outputs.get(2)).as("the buses are in the readiness data").contains("kafka-");
            assertThat(log).as("the log was captured").isNotEmpty();
            for (String output : outputs) {
                for (String canary : CANARIES) {
                    assertThat(output).doesNotContain(canary);
                }
            }
        } finally {
            sluice.setLevel(before);
            root.removeHandler(capture);
            for (String kind : List.of("EventBus/leaky-inline", "EventBus/leaky-ref", "EventBus/leaky-lost",
                    "EventSource/leaky-sources")) {
                String[] parts = kind.split("/");
                catalog.delete(new ResourceKey(parts[0], "default", parts[1]));
            }
        }
    }

    private void upsert(String yaml) {
        new ResourceParser(mapper).parse(yaml, "test").forEach(parsed -> {
            parsed.resource().getMetadata().setGeneration(1L);
            catalog.upsert(parsed.resource());
        });
    }

    private String status(String kind, String name) throws Exception {
        return mapper.writeValueAsString(catalog.get(new ResourceKey(kind, "default", name)).orElseThrow().getStatus());
    }

    private static String thrown(LogRecord record) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            text.append(t).append(' ');
        }
        return text.toString();
    }
}
