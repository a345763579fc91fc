package dev.sluice.bus.dapr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.sluice.api.eventbus.EventBus;
import dev.sluice.resources.ResourceParser;
import io.smallrye.config.WithDefault;

/**
 * The Dapr manifests and the example EventBus cannot drift from the code or from each other: the example parses,
 * names a Component that the overlay ships, and docs/bus/dapr.md shows it as it is; the sidecar annotations
 * point at the port and protocol the app callback serves.
 */
class DaprManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path EXAMPLE = ROOT.resolve("kubernetes/examples/eventbus-dapr.yaml");
    private static final Path OVERLAY = ROOT.resolve("kubernetes/dapr");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void theExampleIsTheShopsKafkaBusWithOnlyItsBindingChanged() throws IOException {
        EventBus dapr = (EventBus) parse(EXAMPLE).get(0);
        EventBus kafka = parse(ROOT.resolve("kubernetes/examples/kubernetes/shop.yaml")).stream()
                .filter(EventBus.class::isInstance).map(EventBus.class::cast).findFirst().orElseThrow();

        assertThat(dapr.key()).isEqualTo(kafka.key());
        assertThat(kafka.getSpec().getKafka()).isNotNull();
        assertThat(dapr.getSpec().getKafka()).isNull();
        assertThat(dapr.getSpec().getUnknownFields()).isEmpty();
        // the Component it names ships with the overlay, where the Sluice sidecars load it
        assertThat(components()).filteredOn(c -> c.path("metadata").path("name").asText()
                .equals(dapr.getSpec().getDapr().getPubsubName()))
                .singleElement().satisfies(c -> assertThat(c.path("spec").path("type").asText()).startsWith("pubsub."));
    }

    @Test
    void componentsAreInTheNamespaceOfTheSluiceDeployments() throws IOException {
        // a sidecar loads the Components of its own namespace
        assertThat(components()).isNotEmpty().allSatisfy(c -> assertThat(c.path("metadata").path("namespace").asText())
                .isEqualTo("sluice-system"));
    }

    @Test
    void theSidecarCallsThePortAndProtocolTheAppCallbackServes() throws Exception {
        String appPort = DaprConfig.class.getMethod("appPort").getAnnotation(WithDefault.class).value();
        JsonNode patch = yaml.readTree(OVERLAY.resolve("sidecar.yaml").toFile());
        List<String> annotations = new ArrayList<>();
        patch.forEach(op -> annotations.add(op.path("path").asText().replace("~1", "/")
                .replace("/spec/template/metadata/annotations/", "") + "=" + op.path("value").asText()));

        assertThat(annotations).contains("dapr.io/enabled=true", "dapr.io/app-port=" + appPort, "dapr.io/app-protocol=grpc",
                "dapr.io/app-token-secret=sluice-dapr-app-token");
        String kustomization = Files.readString(OVERLAY.resolve("kustomization.yaml"));
        assertThat(kustomization).contains("value: sluice-event-source").contains("value: sluice-trigger")
                .contains("dapr.io~1app-id");
    }

    @Test
    void theStreamingOverlayDropsTheAppPortAndChoosesStreaming() throws IOException {
        JsonNode kustomization = yaml.readTree(OVERLAY.resolve("streaming/kustomization.yaml").toFile());
        List<String> operations = new ArrayList<>();
        for (JsonNode patch : kustomization.path("patches")) {
            for (JsonNode op : yaml.readTree(patch.path("patch").asText())) {
                operations.add(op.path("op").asText() + " " + op.path("path").asText() + " " + op.path("value"));
            }
        }

        assertThat(operations).contains("remove /spec/template/metadata/annotations/dapr.io~1app-port ",
                "remove /spec/template/metadata/annotations/dapr.io~1app-protocol ");
        String streaming = DaprConfig.Subscriptions.STREAMING.name().toLowerCase(java.util.Locale.ROOT);
        assertThat(operations).anySatisfy(op -> assertThat(op).contains("SLUICE_DAPR_SUBSCRIPTIONS")
                .contains("\"" + streaming + "\""));
    }

    @Test
    void theDocShowsTheExampleAsItIs() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/bus/dapr.md"));

        assertThat(doc).contains("```yaml\n" + Files.readString(EXAMPLE) + "```");
    }

    private static List<dev.sluice.api.SluiceResource<?>> parse(Path file) throws IOException {
        List<ResourceParser.Parsed> parsed = new ResourceParser(new ObjectMapper()).parse(Files.readString(file),
                file.getFileName().toString());
        assertThat(parsed).allSatisfy(p -> assertThat(p.resource()).as("%s", p.skipped()).isNotNull());
        return parsed.stream().<dev.sluice.api.SluiceResource<?>>map(ResourceParser.Parsed::resource).toList();
    }

    private List<JsonNode> components() throws IOException {
        try (Stream<Path> files = Files.list(OVERLAY.resolve("components"))) {
            List<JsonNode> components = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                components.add(yaml.readTree(file.toFile()));
            }
            return components;
        }
    }
}
