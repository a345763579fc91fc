package dev.sluice.resources.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.sluice.api.Condition;
import dev.sluice.resources.ResourceParser;

/**
 * Loads every manifest under {@code kubernetes/} and checks that they agree with each other: what a
 * kustomization lists exists, selectors select, ports and probes name what the containers expose, service
 * accounts and roles exist and grant what the services need and no more, and the examples are valid resources.
 */
class ManifestsAgreeTest {
    private static final Path ROOT = Path.of("..", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KINDS = Set.of("eventsources", "eventbuses", "clustereventbuses", "triggers");
    /** Which kinds each service serves, so writes their status. */
    private static final Map<String, Set<String>> SERVES = Map.of(
            "sluice-event-source", Set.of("eventsources", "eventbuses", "clustereventbuses"),
            "sluice-trigger", Set.of("triggers", "eventbuses", "clustereventbuses"));

    private static final List<Document> DOCUMENTS = new ArrayList<>();

    record Document(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        String namespace() {
            return node.path("metadata").path("namespace").asText(null);
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " in " + ROOT.relativize(file);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml") || file.getFileName().toString().equals("sidecar.yaml")) {
                    continue;
                }
                try (var docs = YAML.readerFor(JsonNode.class).<JsonNode> readValues(Files.readString(file))) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                            DOCUMENTS.add(new Document(file, doc));
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyManifestHasApiVersionKindAndName() {
        assertThat(DOCUMENTS).hasSizeGreaterThan(30);
        for (Document doc : DOCUMENTS) {
            assertThat(doc.node().path("apiVersion").asText()).as(doc.file().toString()).isNotBlank();
            assertThat(doc.kind()).as(doc.file().toString()).isNotBlank();
            assertThat(doc.name()).as(doc.file().toString()).isNotBlank();
        }
    }

    @Test
    void everyKustomizationListsFilesThatExistAndPatchesWhatExists() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            kustomizations = walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertThat(kustomizations).hasSize(5);
        for (Path kustomization : kustomizations) {
            JsonNode k = YAML.readTree(kustomization.toFile());
            for (JsonNode resource : k.path("resources")) {
                assertThat(kustomization.getParent().resolve(resource.asText())).as(kustomization + " lists " + resource).exists();
            }
            for (JsonNode patch : k.path("patches")) {
                if (patch.has("path")) {
                    assertThat(kustomization.getParent().resolve(patch.path("path").asText())).exists();
                }
                String target = patch.path("target").path("name").asText();
                assertThat(DOCUMENTS).as(kustomization + " patches " + target)
                        .anyMatch(d -> d.kind().equals(patch.path("target").path("kind").asText()) && d.name().matches(target));
            }
        }
        // every CRD is installed by the base, every OpenFunction-group CRD by its overlay
        JsonNode base = YAML.readTree(ROOT.resolve("kustomization.yaml").toFile());
        for (Document crd : of("CustomResourceDefinition")) {
            Path dir = crd.file().getParent().getParent();
            JsonNode k = dir.equals(ROOT) ? base : YAML.readTree(dir.resolve("kustomization.yaml").toFile());
            assertThat(k.path("resources").toString()).as(crd.toString()).contains(dir.relativize(crd.file()).toString());
        }
    }

    @Test
    void deploymentsRunNonRootReadOnlyWithProbesResourcesAndTheirOwnServiceAccount() {
        List<Document> deployments = of("Deployment");
        assertThat(deployments).extracting(Document::name).containsExactlyInAnyOrder("sluice-event-source", "sluice-trigger");
        for (Document deployment : deployments) {
            JsonNode spec = deployment.node().path("spec");
            JsonNode pod = spec.path("template").path("spec");
            assertThat(labels(spec.path("template").path("metadata"))).as(deployment + " selector")
                    .containsAllEntriesOf(labels(spec.path("selector").path("matchLabels")));
            String account = pod.path("serviceAccountName").asText();
            assertThat(account).as(deployment + " service account").isEqualTo(deployment.name());
            assertThat(find("ServiceAccount", account)).as(deployment + " service account exists").isPresent();
            assertThat(find("ServiceAccount", account).get().namespace()).isEqualTo(deployment.namespace());
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(deployment + " non-root").isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as("the images' user").isEqualTo(185);
            JsonNode container = pod.path("containers").get(0);
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
            String tmpVolume = mountedVolume(container, "/tmp");
            assertThat(volume(pod, tmpVolume).has("emptyDir")).as(deployment + " /tmp is an emptyDir").isTrue();
            Set<String> ports = Set.copyOf(container.path("ports").findValuesAsText("name"));
            assertThat(probe(container, "livenessProbe").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(probe(container, "readinessProbe").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(probe(container, "startupProbe").path("path").asText()).isEqualTo("/q/health/started");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(ports).as(deployment + " " + probe + " port").contains(probe(container, probe).path("port").asText());
            }
            assertThat(container.path("resources").path("requests").path("cpu").asText()).isNotBlank();
            assertThat(container.path("resources").path("requests").path("memory").asText()).isNotBlank();
            assertThat(container.path("resources").path("limits").path("memory").asText()).isNotBlank();
            for (JsonNode source : container.path("envFrom")) {
                assertThat(find("ConfigMap", source.path("configMapRef").path("name").asText())).as(deployment + " envFrom").isPresent();
            }
            // the data folder (embedded broker, state) must be on the writable /tmp
            String dataDir = find("ConfigMap", "sluice-config").orElseThrow().node().path("data").path("SLUICE_DATA_DIR").asText();
            assertThat(dataDir).startsWith("/tmp/");
        }
        assertThat(find("ConfigMap", "sluice-config").orElseThrow().node().path("data").path("SLUICE_RESOURCES_SOURCE").asText())
                .isEqualTo("kubernetes");
    }

    /**
     * Item 6 of issue 12: the probes and the Prometheus scrape go to Quarkus's management interface (port 9000, where
     * the packaged services serve health, metrics and {@code /resources}), and no Service exposes that port.
     */
    @Test
    void probesAndScrapesUseTheManagementPortWhichNoServiceExposes() throws IOException {
        for (Document deployment : of("Deployment")) {
            JsonNode template = deployment.node().path("spec").path("template");
            JsonNode container = template.path("spec").path("containers").get(0);
            JsonNode management = null;
            for (JsonNode port : container.path("ports")) {
                if (port.path("name").asText().equals("management")) {
                    management = port;
                }
            }
            assertThat(management).as(deployment + " has a port named management").isNotNull();
            assertThat(management.path("containerPort").asInt()).as("Quarkus's management port").isEqualTo(9000);
            assertThat(managementPortOf(container, deployment.name())).as(deployment + " management port the app listens on")
                    .isEqualTo("9000");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(probe(container, probe).path("port").asText()).as(deployment + " " + probe).isEqualTo("management");
            }
            JsonNode annotations = template.path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/port").asText()).as(deployment + " scrape port").isEqualTo("9000");
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        }
        // the management interface is a build-time setting: the packaged services must be built with it, and
        // standalone (which has both services' files on its classpath) without it
        for (String module : List.of("event-source", "trigger")) {
            assertThat(properties(module)).as(module + " application.properties")
                    .containsEntry("%prod.quarkus.management.enabled", "true");
        }
        assertThat(properties("standalone")).containsEntry("quarkus.management.enabled", "false")
                .containsEntry("%prod.quarkus.management.enabled", "false");
        for (Document service : of("Service")) {
            for (JsonNode port : service.node().path("spec").path("ports")) {
                assertThat(port.path("targetPort").asText()).as(service + " exposes no management port")
                        .isNotIn("management", "9000");
            }
        }
    }

    /**
     * The management port the packaged app of a Deployment listens on: {@code QUARKUS_MANAGEMENT_PORT} from the
     * manifest, else its module's prod setting, else Quarkus's default 9000.
     */
    private String managementPortOf(JsonNode container, String deploymentName) throws IOException {
        for (JsonNode variable : container.path("env")) {
            if ("QUARKUS_MANAGEMENT_PORT".equals(variable.path("name").asText())) {
                return variable.path("value").asText();
            }
        }
        String module = deploymentName.replaceFirst("^sluice-", "");
        return properties(module).getProperty("%prod.quarkus.management.port", "9000");
    }

    @Test
    void eachEventSourceReplicaHasItsOwnMqttClientIdFromItsPodName() {
        JsonNode spec = find("Deployment", "sluice-event-source").orElseThrow().node().path("spec");
        assertThat(spec.path("replicas").asInt()).as("replicas").isGreaterThan(1);
        JsonNode env = spec.path("template").path("spec").path("containers").get(0).path("env");
        JsonNode instanceId = null;
        for (JsonNode variable : env) {
            if ("SLUICE_INSTANCE_ID".equals(variable.path("name").asText())) {
                instanceId = variable;
            }
        }
        assertThat(instanceId).as("SLUICE_INSTANCE_ID in " + env).isNotNull();
        assertThat(instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
    }

    @Test
    void servicesAndDisruptionBudgetsSelectTheirDeploymentAndNameItsPorts() {
        for (Document service : of("Service")) {
            Document deployment = selected(service, service.node().path("spec").path("selector"));
            JsonNode container = deployment.node().path("spec").path("template").path("spec").path("containers").get(0);
            for (JsonNode port : service.node().path("spec").path("ports")) {
                assertThat(container.path("ports").findValuesAsText("name")).as(service + " targetPort")
                        .contains(port.path("targetPort").asText());
            }
        }
        assertThat(of("PodDisruptionBudget")).hasSize(2);
        for (Document budget : of("PodDisruptionBudget")) {
            Document deployment = selected(budget, budget.node().path("spec").path("selector").path("matchLabels"));
            assertThat(budget.node().path("spec").path("minAvailable").asInt())
                    .isLessThan(deployment.node().path("spec").path("replicas").asInt());
        }
        for (Document scaled : of("ScaledObject")) {
            String target = scaled.node().path("spec").path("scaleTargetRef").path("name").asText();
            assertThat(find("Deployment", target)).as(scaled + " target").isPresent();
            assertThat(scaled.node().path("spec").path("minReplicaCount").asInt()).as("PDB minAvailable stays satisfiable")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void rolesGrantReadingTheKindsAndWritingOnlyTheStatusOfServedKinds() {
        for (Document binding : of("ClusterRoleBinding")) {
            String role = binding.node().path("roleRef").path("name").asText();
            assertThat(find("ClusterRole", role)).as(binding + " role").isPresent();
            for (JsonNode subject : binding.node().path("subjects")) {
                Optional<Document> account = find("ServiceAccount", subject.path("name").asText());
                assertThat(account).as(binding + " subject").isPresent();
                assertThat(account.get().namespace()).isEqualTo(subject.path("namespace").asText());
            }
        }
        for (String account : SERVES.keySet()) {
            for (String group : List.of("events.sluice.dev", WatchedKind.OPENFUNCTION_GROUP)) {
                Map<String, Set<String>> verbs = grants(account, group);
                for (String kind : KINDS) {
                    assertThat(verbs.get(kind)).as(account + " on " + kind + "." + group).containsExactlyInAnyOrder("get", "list", "watch");
                    Set<String> status = verbs.getOrDefault(kind + "/status", Set.of());
                    if (SERVES.get(account).contains(kind)) {
                        assertThat(status).as(account + " writes " + kind + "/status").contains("patch");
                    } else {
                        assertThat(status).as(account + " must not write " + kind + "/status").isEmpty();
                    }
                }
            }
        }
        for (Document role : of("ClusterRole")) {
            for (JsonNode rule : role.node().path("rules")) {
                assertThat(rule.path("verbs").toString()).as(role + " verbs").doesNotContain("*", "create", "delete");
                assertThat(rule.path("resources").toString()).as(role + " resources").doesNotContain("*");
                if (rule.path("resources").toString().contains("secrets")) {
                    // an XSecretRef is read by name: never a list or a watch of every Secret
                    assertThat(rule.path("resources").toString()).as(role + " secrets alone").isEqualTo("[\"secrets\"]");
                    assertThat(rule.path("verbs").toString()).as(role + " on secrets").isEqualTo("[\"get\"]");
                }
            }
        }
    }

    @Test
    void daprComponentsArePubSubsScopedToTheServices() {
        List<Document> components = of("Component");
        assertThat(components).extracting(c -> c.node().path("spec").path("type").asText())
                .containsExactlyInAnyOrder("pubsub.kafka", "pubsub.jetstream", "pubsub.redis");
        for (Document component : components) {
            assertThat(component.node().path("scopes").findValuesAsText("")).isEmpty();
            List<String> scopes = new ArrayList<>();
            component.node().path("scopes").forEach(s -> scopes.add(s.asText()));
            assertThat(scopes).containsExactlyInAnyOrderElementsOf(SERVES.keySet());
        }
    }

    @Test
    void examplesAreValidSluiceResourcesWhoseBusesExist() {
        ResourceParser parser = new ResourceParser(new ObjectMapper());
        List<Document> examples = DOCUMENTS.stream().filter(d -> d.file().startsWith(ROOT.resolve("examples"))).toList();
        assertThat(examples).hasSizeGreaterThan(3);
        for (Document example : examples) {
            ResourceParser.Parsed parsed = parser.parse(example.node().deepCopy(), example.toString());
            assertThat(parsed.skipped()).as(example.toString()).isNull();
            assertThat(parsed.resource().getStatus().getConditions()).as(example + " parses cleanly")
                    .noneMatch(c -> Condition.FALSE.equals(c.getStatus()));
        }
    }

    private static Map<String, Set<String>> grants(String account, String group) {
        Map<String, Set<String>> verbs = new HashMap<>();
        for (Document binding : of("ClusterRoleBinding")) {
            if (!binding.node().path("subjects").findValuesAsText("name").contains(account)) {
                continue;
            }
            Document role = find("ClusterRole", binding.node().path("roleRef").path("name").asText()).orElseThrow();
            for (JsonNode rule : role.node().path("rules")) {
                List<String> groups = new ArrayList<>();
                rule.path("apiGroups").forEach(g -> groups.add(g.asText()));
                if (!groups.contains(group)) {
                    continue;
                }
                for (JsonNode resource : rule.path("resources")) {
                    rule.path("verbs").forEach(v -> verbs.computeIfAbsent(resource.asText(), r -> new java.util.HashSet<>()).add(v.asText()));
                }
            }
        }
        return verbs;
    }

    private static Document selected(Document selector, JsonNode labels) {
        Map<String, String> wanted = labels(labels);
        assertThat(wanted).as(selector + " selector").isNotEmpty();
        List<Document> matching = of("Deployment").stream()
                .filter(d -> labels(d.node().path("spec").path("template").path("metadata")).entrySet().containsAll(wanted.entrySet()))
                .toList();
        assertThat(matching).as(selector + " selects one Deployment").hasSize(1);
        assertThat(matching.get(0).namespace()).isEqualTo(selector.namespace());
        return matching.get(0);
    }

    private static Map<String, String> labels(JsonNode node) {
        JsonNode labels = node.has("labels") ? node.path("labels") : node;
        Map<String, String> map = new HashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static JsonNode probe(JsonNode container, String probe) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.isMissingNode()).as(probe).isFalse();
        return get;
    }

    private static String mountedVolume(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount.path("name").asText();
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static Properties properties(String module) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve("..").resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static List<Document> of(String kind) {
        return DOCUMENTS.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    private static Optional<Document> find(String kind, String name) {
        return of(kind).stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
