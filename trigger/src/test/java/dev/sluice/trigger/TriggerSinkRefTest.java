package dev.sluice.trigger;

import static dev.sluice.trigger.TriggerTestKit.PATIENCE;
import static dev.sluice.trigger.TriggerTestKit.order;
import static dev.sluice.trigger.TriggerTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.Condition;
import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusNames;
import dev.sluice.trigger.FakeFunction.Answer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** {@code sink.ref} resolved through the Kubernetes API (the test server, CRUD mode) to a real function. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TriggerSinkRefTest {
    private static final FakeFunction FUNCTIONS = new FakeFunction();
    private static final ResourceDefinitionContext KNATIVE_SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("serving.knative.dev").withVersion("v1").withKind("Service").withPlural("services")
            .withNamespaced(true).build();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TriggerTestKit kit;

    @AfterAll
    static void stopFunctions() {
        FUNCTIONS.close();
    }

    @Test
    void deliversToTheAddressOfAKnativeService() throws Exception {
        String name = unique("ref-orders");
        createKnativeService(name, FUNCTIONS.serve("/" + name, request -> Answer.of(200)));
        ResourceKey key = kit.apply(name, trigger(name));
        kit.awaitReady(key);

        kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-1", 10)));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(FUNCTIONS.requests("/" + name))
                .extracting(FakeFunction.Request::id).containsExactly(name + "-1"));
    }

    @Test
    void aMissingObjectIsNotResolvedUntilItExists() throws Exception {
        String name = unique("ref-later");
        ResourceKey key = kit.apply(name, trigger(name));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(condition(key, Condition.READY))
                .satisfies(ready -> {
                    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
                    assertThat(ready.getReason()).isEqualTo("SinkNotResolved");
                    assertThat(ready.getMessage()).contains("spec.subscribers[0].sink.ref").contains("not found");
                }));

        createKnativeService(name, FUNCTIONS.serve("/" + name, request -> Answer.of(200)));
        kit.awaitReady(key);
        kit.publish(BusNames.topic("default", name, "orders"), List.of(order(name + "-1", 10)));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(FUNCTIONS.requests("/" + name))
                .extracting(FakeFunction.Request::id).containsExactly(name + "-1"));
    }

    private static String trigger(String name) {
        return """
                  inputs:
                    order: {eventSource: %1$s, event: orders}
                  subscribers:
                  - condition: order
                    sink:
                      ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: %1$s}
                """.formatted(name);
    }

    private void createKnativeService(String name, URI address) {
        GenericKubernetesResource service = new GenericKubernetesResource();
        service.setApiVersion("serving.knative.dev/v1");
        service.setKind("Service");
        service.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        service.setAdditionalProperty("status", Map.of("url", "http://" + name + ".default.example.com",
                "address", Map.of("url", address.toString())));
        server.getClient().genericKubernetesResources(KNATIVE_SERVICES).inNamespace("default").resource(service)
                .create();
    }

    private Condition condition(ResourceKey key, String type) {
        return kit.status(key).getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + kit.status(key).getConditions()));
    }
}
