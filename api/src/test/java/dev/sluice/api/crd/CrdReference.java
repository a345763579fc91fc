package dev.sluice.api.crd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

/** Renders {@code docs/crd-reference.md} from the CRDs, so the reference cannot drift from what is installed. */
public final class CrdReference {

    private CrdReference() {
    }

    /** One documented field: its path below the resource, e.g. {@code spec.kafka.<event>.topic}. */
    public record Field(String path, String type, boolean required, String description, String validation) {
    }

    public static String render(List<CustomResourceDefinition> crds) {
        StringBuilder md = new StringBuilder();
        md.append("# Custom resource reference\n\n")
                .append("Generated from `kubernetes/crds/` by `CrdsAreCurrentTest` (api module); do not edit by hand.\n")
                .append("Regenerate both with `mvn -B -pl api test -Dsluice.crds.update=true`.\n\n")
                .append("Every kind has `status.observedGeneration` and `status.conditions[]`; `kubectl get` shows the\n")
                .append("`Ready` condition's status and reason. With `sluice.kubernetes.openfunction=true` the same kinds are\n")
                .append("also read from `events.openfunction.io/v1alpha1`.\n");
        for (CustomResourceDefinition crd : crds) {
            CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
            JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
            md.append("\n## ").append(crd.getSpec().getNames().getKind()).append("\n\n")
                    .append(schema.getDescription()).append("\n\n")
                    .append("- API version: `").append(crd.getSpec().getGroup()).append('/').append(version.getName()).append("`\n")
                    .append("- Scope: ").append(crd.getSpec().getScope()).append('\n')
                    .append("- Plural: `").append(crd.getSpec().getNames().getPlural()).append("`, short names: `")
                    .append(String.join("`, `", crd.getSpec().getNames().getShortNames())).append("`\n")
                    .append("- Columns: ").append(version.getAdditionalPrinterColumns().stream()
                            .map(c -> c.getName() + " (`" + c.getJsonPath() + "`)").collect(Collectors.joining(", ")))
                    .append('\n');
            List<String> rules = new ArrayList<>();
            collectRules("spec", schema.getProperties().get("spec"), rules);
            if (!rules.isEmpty()) {
                md.append("- Rules the API server checks: ").append(String.join("; ", rules)).append('\n');
            }
            md.append("\n| field | type | required | description |\n| --- | --- | --- | --- |\n");
            for (Field field : fields(crd)) {
                md.append("| `").append(field.path()).append("` | ").append(field.type()).append(" | ")
                        .append(field.required() ? "yes" : "").append(" | ").append(escape(field.description()))
                        .append(field.validation().isEmpty() ? "" : " (" + escape(field.validation()) + ")")
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** Every field of spec and status, depth first. */
    public static List<Field> fields(CustomResourceDefinition crd) {
        JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        List<Field> fields = new ArrayList<>();
        for (String top : List.of("spec", "status")) {
            walk(top, schema.getProperties().get(top), false, fields);
        }
        return fields;
    }

    private static void walk(String path, JSONSchemaProps schema, boolean required, List<Field> out) {
        out.add(new Field(path, type(schema), required, schema.getDescription() == null ? "" : schema.getDescription(),
                validation(schema)));
        children(path + ".", schema, out);
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            children(path + ".<name>.", schema.getAdditionalProperties().getSchema(), out);
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            children(path + "[].", schema.getItems().getSchema(), out);
        }
    }

    private static void children(String prefix, JSONSchemaProps schema, List<Field> out) {
        if (schema.getProperties() == null) {
            return;
        }
        List<String> requiredNames = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
            walk(prefix + property.getKey(), property.getValue(), requiredNames.contains(property.getKey()), out);
        }
    }

    private static String type(JSONSchemaProps schema) {
        if ("array".equals(schema.getType()) && schema.getItems() != null && schema.getItems().getSchema() != null) {
            return "array of " + type(schema.getItems().getSchema());
        }
        if ("object".equals(schema.getType()) && schema.getAdditionalProperties() != null
                && schema.getAdditionalProperties().getSchema() != null) {
            return "map of " + type(schema.getAdditionalProperties().getSchema());
        }
        return schema.getType() == null ? "any" : schema.getType();
    }

    private static String validation(JSONSchemaProps schema) {
        List<String> parts = new ArrayList<>();
        if (schema.getPattern() != null) {
            parts.add("pattern `" + schema.getPattern() + "`");
        }
        if (schema.getMinimum() != null) {
            parts.add("minimum " + schema.getMinimum().longValue());
        }
        if (schema.getMaximum() != null) {
            parts.add("maximum " + schema.getMaximum().longValue());
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            parts.add(schema.getProperties() == null ? "free-form: the schema cannot recurse, Sluice checks it"
                    : "unknown keys are kept and reported as Ready=False");
        }
        return String.join(", ", parts);
    }

    private static void collectRules(String path, JSONSchemaProps schema, List<String> out) {
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                out.add("`" + path + "`: " + rule.getMessage() + " (`" + rule.getRule() + "`)");
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> collectRules(path + "." + name, child, out));
        }
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
