package dev.sluice.source.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.api.Reasons;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The event-source service driven by custom resources on the Kubernetes test server (CRUD mode): it serves
 * what is created, reconfigures on a new generation, stops on delete, and writes status through the status
 * subresource.
 */
@QuarkusTest
@TestProfile(KubernetesModeProfile.class)
@WithKubernetesTestServer(crud = true, setup = InstallCrds.class)
class KubernetesResourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ResourceDefinitionContext EVENT_SOURCES = context("events.sluice.dev", "EventSource", "eventsources");
    private static final ResourceDefinitionContext OF_EVENT_SOURCES = context("events.openfunction.io", "EventSource", "eventsources");
    private static final ResourceDefinitionContext OF_EVENT_BUSES = context("events.openfunction.io", "EventBus", "eventbuses");

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aCreatedSourceServesAndIsReadyAChangeIsObservedAndADeleteStopsIt() {
        KubernetesClient client = server.getClient();
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: store, namespace: shop}
                spec:
                  eventBus: default
                  http:
                    orders: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> post("/shop/store/orders", 202));
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> ready = condition(EVENT_SOURCES, "shop", "store", "Ready");
            assertThat(ready).containsEntry("status", "True");
            assertThat(status(EVENT_SOURCES, "shop", "store")).containsEntry("observedGeneration", 1);
        });
        String readySince = (String) condition(EVENT_SOURCES, "shop", "store", "Ready").get("lastTransitionTime");
        post("/shop/store/refunds", 404);

        GenericKubernetesResource changed = client.genericKubernetesResources(EVENT_SOURCES).inNamespace("shop")
                .withName("store").get();
        changed.setAdditionalProperty("spec", Map.of("eventBus", "default",
                "http", Map.of("orders", Map.of(), "refunds", Map.of())));
        client.genericKubernetesResources(EVENT_SOURCES).inNamespace("shop").resource(changed).update();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(status(EVENT_SOURCES, "shop", "store")).containsEntry("observedGeneration", 2);
            post("/shop/store/refunds", 202);
        });
        List<Map<String, Object>> conditions = conditions(EVENT_SOURCES, "shop", "store");
        assertThat(conditions).extracting(c -> c.get("type")).doesNotHaveDuplicates()
                .contains("Ready", "BusResolved", "SourcesReady");
        assertThat(condition(EVENT_SOURCES, "shop", "store", "Ready"))
                .as("Ready stayed True, so its transition time is kept").containsEntry("lastTransitionTime", readySince);

        client.genericKubernetesResources(EVENT_SOURCES).inNamespace("shop").withName("store").delete();
        await().atMost(WAIT).untilAsserted(() -> post("/shop/store/orders", 404));
    }

    @Test
    void aBadSpecIsNotReadyWithTheReasonAndTheFieldWhileOthersServe() {
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: typo, namespace: bad}
                spec:
                  eventBus: default
                  nats:
                    orders: {}
                """);
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: wrong-type, namespace: bad}
                spec:
                  eventBus: default
                  http:
                    orders: {maxBodyBytes: lots}
                """);
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: fine, namespace: bad}
                spec:
                  eventBus: default
                  http:
                    orders: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> typo = condition(EVENT_SOURCES, "bad", "typo", "Ready");
            assertThat(typo).containsEntry("status", "False").containsEntry("reason", "UnknownSourceType");
            assertThat((String) typo.get("message")).contains("spec.nats");
            Map<String, Object> wrongType = condition(EVENT_SOURCES, "bad", "wrong-type", "Ready");
            assertThat(wrongType).containsEntry("status", "False").containsEntry("reason", "SpecNotParsed");
            assertThat((String) wrongType.get("message")).contains("spec.http.orders.maxBodyBytes");
            post("/bad/fine/orders", 202);
        });
        post("/bad/typo/orders", 404);
    }

    @Test
    void openFunctionManifestsAreServedAndGetTheirStatusBack() {
        KubernetesClient client = server.getClient();
        // OpenFunction's documented EventBus: a NATS Streaming binding, which Sluice does not have
        create(OF_EVENT_BUSES, """
                apiVersion: events.openfunction.io/v1alpha1
                kind: EventBus
                metadata:
                  name: nats-bus
                  namespace: legacy
                spec:
                  natsStreaming:
                    natsURL: "nats://nats.default:4222"
                    natsStreamingClusterID: "stan"
                    subscriptionType: "queue"
                    durableSubscriptionName: "ImDurable"
                """);
        // OpenFunction's EventSource layout (logLevel, eventBus by name), with an http event of Sluice's
        create(OF_EVENT_SOURCES, """
                apiVersion: events.openfunction.io/v1alpha1
                kind: EventSource
                metadata:
                  name: my-eventsource
                  namespace: legacy
                spec:
                  logLevel: "2"
                  eventBus: "default"
                  http:
                    sample-one: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            post("/legacy/my-eventsource/sample-one", 202);
            assertThat(condition(OF_EVENT_SOURCES, "legacy", "my-eventsource", "Ready")).containsEntry("status", "True");
            Map<String, Object> bus = condition(OF_EVENT_BUSES, "legacy", "nats-bus", "Ready");
            assertThat(bus).containsEntry("status", "False").containsEntry("reason", Reasons.NATS_STREAMING_RETIRED);
            assertThat((String) bus.get("message")).contains("spec.natsStreaming", "pubsub.jetstream");
        });
        assertThat(client.genericKubernetesResources(EVENT_SOURCES).inNamespace("legacy").list().getItems())
                .as("nothing was copied into Sluice's group").isEmpty();

        client.genericKubernetesResources(OF_EVENT_SOURCES).inNamespace("legacy").withName("my-eventsource").delete();
        await().atMost(WAIT).untilAsserted(() -> post("/legacy/my-eventsource/sample-one", 404));
    }

    @Test
    void aSecretRefIsReadThroughTheKubernetesApi() {
        KubernetesClient client = server.getClient();
        client.secrets().inNamespace("vault").resource(new SecretBuilder().withNewMetadata().withName("hook")
                .withNamespace("vault").endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString("k8s-token".getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: guarded, namespace: vault}
                spec:
                  eventBus: default
                  http:
                    orders:
                      auth: {bearer: {secretRef: {name: hook, key: token}}}
                """);
        create(EVENT_SOURCES, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: unguarded, namespace: vault}
                spec:
                  eventBus: default
                  http:
                    orders:
                      auth: {bearer: {secretRef: {name: absent, key: token}}}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            given().header("Authorization", "Bearer k8s-token").contentType("application/json").body("{}")
                    .post("/vault/guarded/orders").then().statusCode(202);
            Map<String, Object> missing = condition(EVENT_SOURCES, "vault", "unguarded", "Ready");
            assertThat(missing).containsEntry("status", "False");
            assertThat((String) missing.get("message")).contains("spec.http.orders.auth.bearer.secretRef",
                    "no Secret 'absent' in namespace 'vault'");
        });
        given().header("Authorization", "Bearer wrong").contentType("application/json").body("{}")
                .post("/vault/guarded/orders").then().statusCode(401);
        assertThat(condition(EVENT_SOURCES, "vault", "guarded", "Ready").toString()).doesNotContain("k8s-token");
    }

    private static void post(String path, int status) {
        given().contentType("application/json").body("{\"n\":1}").post(path).then().statusCode(status);
    }

    private void create(ResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource object = server.getClient().getKubernetesSerialization()
                .unmarshal(yaml, GenericKubernetesResource.class);
        server.getClient().genericKubernetesResources(kind).inNamespace(object.getMetadata().getNamespace())
                .resource(object).create();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(ResourceDefinitionContext kind, String namespace, String name) {
        GenericKubernetesResource object = server.getClient().genericKubernetesResources(kind).inNamespace(namespace)
                .withName(name).get();
        assertThat(object).as(name).isNotNull();
        Object status = object.getAdditionalProperties().get("status");
        assertThat(status).as(name + " has a status").isNotNull();
        return (Map<String, Object>) status;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> conditions(ResourceDefinitionContext kind, String namespace, String name) {
        return (List<Map<String, Object>>) status(kind, namespace, name).getOrDefault("conditions", List.of());
    }

    private Map<String, Object> condition(ResourceDefinitionContext kind, String namespace, String name, String type) {
        return conditions(kind, namespace, name).stream().filter(c -> type.equals(c.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no " + type + " condition"));
    }

    private static ResourceDefinitionContext context(String group, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1alpha1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
