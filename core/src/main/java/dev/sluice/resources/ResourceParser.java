package dev.sluice.resources;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.kinds.ResourceKind;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * Reads Sluice resources from YAML (many documents per file). A document whose spec does not fit the schema
 * still becomes a resource, with {@code Ready=False} and the path of the bad field, so one typo never hides
 * the rest of a folder.
 */
public class ResourceParser {
    public static final String API_VERSION = SluiceResource.GROUP + "/" + SluiceResource.VERSION;

    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final boolean openFunction;

    /** A parser of {@code events.sluice.dev/v1alpha1} documents only. */
    public ResourceParser(ObjectMapper json) {
        this(json, false);
    }

    /** @param openFunction also read {@code events.openfunction.io/v1alpha1} documents as Sluice's kinds */
    public ResourceParser(ObjectMapper json, boolean openFunction) {
        this.json = json;
        this.yaml = new ObjectMapper(new YAMLFactory());
        this.openFunction = openFunction;
    }

    /** One parse result: the resource, or why a document was skipped, or (local mode's credentials) a Secret. */
    public record Parsed(SluiceResource<?> resource, String skipped, Secret secret) {
        Parsed(SluiceResource<?> resource, String skipped) {
            this(resource, skipped, null);
        }
    }

    /** Parses every document of a YAML text; {@code origin} names it in messages. */
    public List<Parsed> parse(String text, String origin) {
        List<Parsed> out = new ArrayList<>();
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode> readValues(text)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(parseDocument(doc, origin + "#" + index));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.add(new Parsed(null, origin + ": not YAML: " + e.getMessage()));
        }
        return out;
    }

    /** Parses one document already read as a tree, such as a watched object; {@code where} names it in messages. */
    public Parsed parse(JsonNode document, String where) {
        return parseDocument(document, where);
    }

    private Parsed parseDocument(JsonNode doc, String where) {
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
            return secret(doc, where);
        }
        Optional<ResourceKind> known = ResourceKind.named(kind);
        if (openFunction && OpenFunctionManifests.API_VERSION.equals(apiVersion) && known.isPresent()
                && doc instanceof ObjectNode object) {
            OpenFunctionManifests.toSluice(object);
            apiVersion = API_VERSION;
        }
        if (!API_VERSION.equals(apiVersion) || known.isEmpty()) {
            String hint = !openFunction && OpenFunctionManifests.API_VERSION.equals(apiVersion)
                    ? "; set sluice.openfunction=true to accept OpenFunction's API group" : "";
            return new Parsed(null, where + ": not a Sluice resource (apiVersion '" + apiVersion + "', kind '"
                    + kind + "'); known kinds: " + ResourceKind.names() + hint);
        }
        Class<? extends SluiceResource<?>> type = known.get().type();
        String name = doc.path("metadata").path("name").asText(null);
        if (name == null || name.isBlank()) {
            return new Parsed(null, where + ": " + kind + " without metadata.name");
        }
        boolean namespaced = known.get().namespaced();
        if (namespaced && doc.path("metadata").path("namespace").asText("").isBlank()) {
            ((ObjectNode) doc.path("metadata")).put("namespace", "default");
        }
        try {
            return new Parsed(json.treeToValue(doc, type), null);
        } catch (JsonMappingException e) {
            return new Parsed(unparsable(doc, type, e), null);
        } catch (IOException e) {
            return new Parsed(null, where + ": " + e.getMessage());
        }
    }

    /** A v1 Secret, {@code data} base64 or {@code stringData}; a message about it never shows a value. */
    private Parsed secret(JsonNode doc, String where) {
        String name = doc.path("metadata").path("name").asText("");
        if (name.isBlank()) {
            return new Parsed(null, where + ": Secret without metadata.name");
        }
        if (doc.path("metadata").path("namespace").asText("").isBlank()) {
            ((ObjectNode) doc.path("metadata")).put("namespace", "default");
        }
        try {
            return new Parsed(null, null, json.treeToValue(doc, Secret.class));
        } catch (IOException e) {
            return new Parsed(null, where + ": Secret '" + name + "' is not a v1 Secret (data and stringData are maps of strings)");
        }
    }

    /** The resource without its spec, Ready=False with the path of the field that did not parse. */
    private SluiceResource<?> unparsable(JsonNode doc, Class<? extends SluiceResource<?>> type, JsonMappingException e) {
        ObjectNode bare = doc.deepCopy();
        bare.remove("spec");
        bare.remove("status");
        try {
            SluiceResource<?> resource = json.treeToValue(bare, type);
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("spec");
            resource.getStatus().reconciled(resource.generation(),
                    List.of(Condition.failed(ConditionTypes.SPEC_VALID, Reasons.SPEC_NOT_PARSED, field + ": " + e.getOriginalMessage())));
            return resource;
        } catch (IOException again) {
            throw new IllegalStateException(again);
        }
    }
}
