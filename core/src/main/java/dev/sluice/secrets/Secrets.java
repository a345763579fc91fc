package dev.sluice.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.SecretRef;
import dev.sluice.config.SluiceConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads the values that {@code XSecretRef} fields name. In cluster mode a {@code Secret} is read through the
 * Kubernetes API when a resource is reconciled (the services need {@code get} on {@code secrets}, nothing more);
 * in local mode {@code kind: Secret} files in the resources folder are read the same way, so one folder of
 * manifests works in both modes. A value read here is handed to the client that needs it and to nothing else:
 * it never becomes part of a log line, a status, a key or a metric tag. {@link #fingerprint} gives code that must
 * notice a change of credentials (a bus connection, a running source) a digest that reveals nothing.
 */
@ApplicationScoped
public class Secrets {
    /** The key of {@link #fingerprint}'s HMAC: new in every process, so a digest cannot be checked offline. */
    private static final byte[] DIGEST_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(DIGEST_KEY);
    }

    @Inject
    SluiceConfig config;

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    ObjectMapper mapper;

    /** Local mode's Secrets, by namespace and name. */
    private final Map<String, Secret> local = new ConcurrentHashMap<>();

    /**
     * Replaces the Secrets read from the resources folder.
     *
     * @return true when any value changed, so that what uses them is reconciled again
     */
    public boolean replaceLocal(Collection<Secret> secrets) {
        Map<String, Secret> next = new ConcurrentHashMap<>();
        secrets.forEach(s -> next.put(id(s.getMetadata().getNamespace(), s.getMetadata().getName()), s));
        boolean changed = !fingerprintOf(next).equals(fingerprintOf(local));
        local.keySet().retainAll(next.keySet());
        local.putAll(next);
        return changed;
    }

    /**
     * A credential given inline as {@code field} or by reference as {@code fieldSecretRef}.
     *
     * @param field the inline field's path, e.g. {@code spec.kafka.saslPassword}
     * @return the value, or null when neither is set
     * @throws InvalidSpecException {@code SecretAmbiguous} when both are set, {@code SecretNotFound} naming
     *         {@code fieldSecretRef} when the Secret or its key does not exist
     */
    public String value(String namespace, String inline, SecretRef ref, String field) {
        if (ref == null) {
            return inline;
        }
        if (inline != null) {
            throw new InvalidSpecException(Reasons.SECRET_AMBIGUOUS, field + "SecretRef",
                    "set " + lastPart(field) + " or " + lastPart(field) + "SecretRef, not both");
        }
        return required(namespace, ref, field + "SecretRef");
    }

    /**
     * The value a required {@code secretRef} names.
     *
     * @param field the reference's path, e.g. {@code spec.http.orders.auth.bearer.secretRef}
     * @throws InvalidSpecException {@code SecretNotFound} naming {@code field}
     */
    public String required(String namespace, SecretRef ref, String field) {
        if (ref == null || blank(ref.getName()) || blank(ref.getKey())) {
            throw new InvalidSpecException(Reasons.SECRET_NOT_FOUND, field, "a secret reference needs name and key");
        }
        Secret secret = find(namespace, ref.getName(), field).orElseThrow(() -> new InvalidSpecException(
                Reasons.SECRET_NOT_FOUND, field, "no Secret '" + ref.getName() + "' in namespace '" + namespace + "'"));
        return valueOf(secret, ref.getKey()).orElseThrow(() -> new InvalidSpecException(Reasons.SECRET_NOT_FOUND,
                field, "Secret '" + ref.getName() + "' in namespace '" + namespace + "' has no key '" + ref.getKey() + "'"));
    }

    /**
     * A digest of a spec and of every value its {@code secretRef} and {@code XSecretRef} fields name: it changes
     * when either does, and reveals neither (an HMAC whose key is new in every process). A reference that does not
     * resolve counts as missing.
     */
    public String fingerprint(String namespace, Object spec) {
        JsonNode tree = mapper.valueToTree(spec);
        StringBuilder text = new StringBuilder(tree.toString()).append('\0').append(namespace);
        appendReferenced(namespace, tree, text);
        return digest(text.toString());
    }

    /** An HMAC-SHA256 of the text, 16 hex digits, with a key that is new in every process. */
    public static String digest(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(DIGEST_KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void appendReferenced(String namespace, JsonNode node, StringBuilder text) {
        if (node.isArray()) {
            node.forEach(child -> appendReferenced(namespace, child, text));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            boolean reference = field.getKey().equals("secretRef") || field.getKey().endsWith("SecretRef");
            if (reference && field.getValue().isObject()) {
                SecretRef ref = new SecretRef(field.getValue().path("name").asText(), field.getValue().path("key").asText());
                Optional<String> value;
                try {
                    value = find(namespace, ref.getName(), field.getKey()).flatMap(s -> valueOf(s, ref.getKey()));
                } catch (InvalidSpecException e) {
                    value = Optional.empty();
                }
                text.append('\0').append(field.getKey()).append('=').append(value.orElse("\0missing"));
            } else if (field.getValue().isContainerNode()) {
                appendReferenced(namespace, field.getValue(), text);
            }
        }
    }

    private Optional<Secret> find(String namespace, String name, String field) {
        if (config.resources().source() == SluiceConfig.Source.FOLDER) {
            return Optional.ofNullable(local.get(id(namespace, name)));
        }
        try {
            return Optional.ofNullable(client.get().secrets().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            // forbidden or unreachable: the message says which, and names no value
            throw new InvalidSpecException(Reasons.SECRET_NOT_FOUND, field, "cannot read Secret '" + name
                    + "' in namespace '" + namespace + "': " + e.getCode() + " " + e.getStatus().getReason());
        }
    }

    private static Optional<String> valueOf(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return Optional.ofNullable(secret.getStringData().get(key));
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            String encoded = secret.getData().get(key);
            try {
                return Optional.of(new String(Base64.getMimeDecoder().decode(encoded == null ? "" : encoded),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private String fingerprintOf(Map<String, Secret> secrets) {
        StringBuilder text = new StringBuilder();
        secrets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> text.append(e.getKey())
                .append('\0').append(e.getValue().getData()).append('\0').append(e.getValue().getStringData()).append('\0'));
        return digest(text.toString());
    }

    private static String id(String namespace, String name) {
        return (namespace == null || namespace.isBlank() ? "default" : namespace) + "/" + name;
    }

    private static String lastPart(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
