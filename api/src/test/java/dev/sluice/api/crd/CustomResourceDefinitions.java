package dev.sluice.api.crd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import dev.sluice.api.SluiceResource;
import dev.sluice.api.kinds.ResourceKind;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Generates the CRDs of the Sluice kinds from the Java model with fabric8's CRD generator, the way they are
 * committed under {@code kubernetes/crds/}.
 */
public final class CustomResourceDefinitions {
    /** The kinds, in the order the reference documents them: the registry's order. */
    public static final List<Class<? extends SluiceResource<?>>> KINDS = Arrays.stream(ResourceKind.values())
            .<Class<? extends SluiceResource<?>>> map(ResourceKind::type).toList();
    /** Where the committed CRDs live, seen from a module's folder. */
    public static final Path COMMITTED = Path.of("..", "kubernetes", "crds");
    /** Where the same CRDs for OpenFunction's group live, for clusters that migrate from OpenFunction. */
    public static final Path OPENFUNCTION = Path.of("..", "kubernetes", "openfunction", "crds");
    private static final String OPENFUNCTION_GROUP = "events.openfunction.io";
    private static final List<String> COLUMN_ORDER = List.of("Ready", "Reason", "Age");

    private CustomResourceDefinitions() {
    }

    /** File name to YAML text, as the generator writes them. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> generate() {
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-crds");
            new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                    .withPostProcessor(new Finishing())
                    .customResourceClasses(KINDS.toArray(Class[]::new))
                    .generate();
            return read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same CRDs in OpenFunction's group: they replace OpenFunction's own (whose status schema has enums of
     * OpenFunction's reasons and no lastTransitionTime) so that Sluice can write its status there.
     */
    public static Map<String, String> openFunctionCopies(Map<String, String> sluice) {
        Map<String, String> copies = new LinkedHashMap<>();
        for (String yaml : sluice.values()) {
            CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
            String name = crd.getSpec().getNames().getPlural() + "." + OPENFUNCTION_GROUP;
            crd.getMetadata().setName(name);
            crd.getSpec().setGroup(OPENFUNCTION_GROUP);
            copies.put(name + "-v1.yml", "# Generated from the Sluice model for OpenFunction's group by CrdsAreCurrentTest.\n"
                    + "# It replaces OpenFunction's CRD of this kind: see docs/install.md.\n"
                    + Serialization.asYaml(crd));
        }
        return copies;
    }

    /** File name to YAML text of every {@code *.yml} in a folder, sorted by name. */
    public static Map<String, String> read(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * What the generator cannot express from annotations: printer columns in reading order (it sorts them by
     * JSON path), and descriptions of the kind, its spec and its status (it only reads property descriptions).
     */
    private static final class Finishing implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition definition = (CustomResourceDefinition) crd;
            String kind = definition.getSpec().getNames().getKind();
            String description = KINDS.stream().filter(k -> k.getSimpleName().equals(kind)).findFirst()
                    .map(k -> k.getAnnotation(JsonClassDescription.class).value()).orElseThrow();
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                version.getAdditionalPrinterColumns().sort(
                        Comparator.comparingInt((CustomResourceColumnDefinition c) -> COLUMN_ORDER.indexOf(c.getName())));
                JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
                schema.setDescription(description);
                schema.getProperties().get("spec").setDescription("What the user asks for.");
                schema.getProperties().get("status").setDescription(
                        "What Sluice observed, written through the status subresource by the service that serves this kind.");
            }
            return crd;
        }
    }
}
