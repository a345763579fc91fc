package dev.sluice.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The committed CRDs and their reference page are what the model generates today. After a model change, run
 * {@code mvn -B -pl api test -Dsluice.crds.update=true} and commit the result.
 */
class CrdsAreCurrentTest {
    private static final boolean UPDATE = Boolean.getBoolean("sluice.crds.update");
    private static final Path REFERENCE = Path.of("..", "docs", "crd-reference.md");

    @Test
    void committedCrdsAreWhatTheModelGenerates() throws IOException {
        Map<String, String> generated = CustomResourceDefinitions.generate();
        if (UPDATE) {
            Files.createDirectories(CustomResourceDefinitions.COMMITTED);
            for (Map.Entry<String, String> crd : generated.entrySet()) {
                Files.writeString(CustomResourceDefinitions.COMMITTED.resolve(crd.getKey()), crd.getValue());
            }
        }
        assertThat(CustomResourceDefinitions.read(CustomResourceDefinitions.COMMITTED))
                .as("kubernetes/crds/ is stale: run mvn -B -pl api test -Dsluice.crds.update=true")
                .isEqualTo(generated);
    }

    @Test
    void openFunctionCopiesAreTheSameSchemasInOpenFunctionsGroup() throws IOException {
        Map<String, String> copies = CustomResourceDefinitions.openFunctionCopies(CustomResourceDefinitions.generate());
        if (UPDATE) {
            Files.createDirectories(CustomResourceDefinitions.OPENFUNCTION);
            for (Map.Entry<String, String> crd : copies.entrySet()) {
                Files.writeString(CustomResourceDefinitions.OPENFUNCTION.resolve(crd.getKey()), crd.getValue());
            }
        }
        assertThat(copies.keySet()).containsExactlyInAnyOrder("eventsources.events.openfunction.io-v1.yml",
                "eventbuses.events.openfunction.io-v1.yml", "clustereventbuses.events.openfunction.io-v1.yml",
                "triggers.events.openfunction.io-v1.yml");
        assertThat(CustomResourceDefinitions.read(CustomResourceDefinitions.OPENFUNCTION))
                .as("kubernetes/openfunction/crds/ is stale: run mvn -B -pl api test -Dsluice.crds.update=true")
                .isEqualTo(copies);
    }

    @Test
    void referencePageIsRenderedFromTheCrdsAndNamesEveryField() throws IOException {
        List<CustomResourceDefinition> crds = sorted(CustomResourceDefinitions.generate());
        String rendered = CrdReference.render(crds);
        if (UPDATE) {
            Files.writeString(REFERENCE, rendered);
        }
        String page = Files.readString(REFERENCE);
        assertThat(page).as("docs/crd-reference.md is stale: run mvn -B -pl api test -Dsluice.crds.update=true")
                .isEqualTo(rendered);
        for (CustomResourceDefinition crd : crds) {
            for (CrdReference.Field field : CrdReference.fields(crd)) {
                assertThat(page).as("%s field %s", crd.getSpec().getNames().getKind(), field.path())
                        .contains("| `" + field.path() + "` |");
            }
        }
    }

    @Test
    void everyKindServesStatusShowsReadinessAndKeepsUnknownSpecKeysWhereSluiceReportsThem() {
        for (CustomResourceDefinition crd : committed()) {
            String kind = crd.getSpec().getNames().getKind();
            CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
            assertThat(version.getSubresources().getStatus()).as(kind + " status subresource").isNotNull();
            assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                    .as(kind + " columns").containsExactly("Ready", "Reason", "Age");
            JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
            boolean keepsUnknown = Boolean.TRUE.equals(spec.getXKubernetesPreserveUnknownFields());
            assertThat(keepsUnknown).as(kind + " spec keeps unknown keys").isEqualTo(!kind.equals("Trigger"));
            assertThat(CrdReference.fields(crd)).as(kind + " fields without a description")
                    .filteredOn(f -> f.description().isBlank()).isEmpty();
        }
    }

    private static List<CustomResourceDefinition> committed() {
        return sorted(CustomResourceDefinitions.read(CustomResourceDefinitions.COMMITTED));
    }

    private static List<CustomResourceDefinition> sorted(Map<String, String> crds) {
        return crds.values().stream()
                .map(yaml -> Serialization.unmarshal(yaml, CustomResourceDefinition.class))
                .sorted(java.util.Comparator.comparingInt(crd -> CustomResourceDefinitions.KINDS.stream()
                        .map(Class::getSimpleName).toList().indexOf(crd.getSpec().getNames().getKind())))
                .toList();
    }
}
