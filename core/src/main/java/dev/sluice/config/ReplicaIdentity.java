package dev.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who this replica is, stable across its restarts: {@code sluice.instance-id} when set; else, in a cluster, the pod
 * name (Kubernetes sets {@code HOSTNAME} to it, and the shipped manifests also pass it as {@code SLUICE_INSTANCE_ID});
 * else, in local mode, an id kept in the data folder, so a process restarted on the same folder is the same replica.
 * Kafka consumers use it for static group membership ({@link #memberId}).
 */
@ApplicationScoped
public class ReplicaIdentity {
    private static final Logger LOG = Logger.getLogger(ReplicaIdentity.class);
    static final String FILE = "instance-id";
    /** Kafka's limit on a group instance id, and its characters. */
    private static final int MAX_LENGTH = 249;

    @Inject
    SluiceConfig config;

    @ConfigProperty(name = "HOSTNAME")
    Optional<String> hostname;

    private volatile String id;

    /** This replica's identity. */
    public String id() {
        String known = id;
        if (known == null) {
            known = config.instanceId().filter(s -> !s.isBlank())
                    .or(() -> config.resources().source() == SluiceConfig.Source.KUBERNETES
                            ? hostname.filter(s -> !s.isBlank()) : Optional.empty())
                    .orElseGet(this::keptInDataFolder);
            id = known;
        }
        return known;
    }

    /**
     * A Kafka {@code group.instance.id} for one consumer of this replica: unique per replica and consumer (two
     * consumers of one process may share a group, as two Kafka source events with one {@code consumerGroup} do),
     * the same after a restart, and valid for Kafka (letters, digits, '.', '_', '-'; at most 249 characters).
     *
     * @param consumer names the consumer within this replica, for example its group and topic
     */
    public String memberId(String consumer) {
        return validKafkaId(id() + "-" + consumer);
    }

    static String validKafkaId(String raw) {
        String id = raw.replaceAll("[^a-zA-Z0-9._-]", "_");
        if (id.length() <= MAX_LENGTH) {
            return id;
        }
        // too long: a prefix for people, and a digest of the whole so that two long names stay apart
        String digest = sha256(raw).substring(0, 16);
        return id.substring(0, MAX_LENGTH - digest.length() - 1) + "-" + digest;
    }

    private String keptInDataFolder() {
        Path file = Path.of(config.data().dir()).toAbsolutePath().resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            String fresh = "local-" + UUID.randomUUID().toString().substring(0, 8);
            Files.createDirectories(file.getParent());
            Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8);
            return fresh;
        } catch (IOException e) {
            String fresh = "local-" + UUID.randomUUID().toString().substring(0, 8);
            LOG.warnf("Could not keep this replica's id in %s (%s): using %s, so a restart waits out Kafka's session"
                    + " timeout once", file, e.getMessage(), fresh);
            return fresh;
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
