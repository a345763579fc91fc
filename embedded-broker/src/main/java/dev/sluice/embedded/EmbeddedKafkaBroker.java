package dev.sluice.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import dev.sluice.config.SluiceConfig;
import dev.sluice.local.LocalKafkaBroker;
import io.quarkus.runtime.StartupEvent;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node KRaft Kafka broker in this JVM (broker and controller in one), with its log on disk under
 * {@code sluice.data.dir}/kafka, so a restart on the same folder keeps every acknowledged event. Started
 * when {@code sluice.embedded-kafka.enabled} is true; it is then the local mode's {@code default} bus. Only the local
 * mode and the component tests have this module: the cluster images hold no broker.
 */
@ApplicationScoped
public class EmbeddedKafkaBroker implements LocalKafkaBroker {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    @Inject
    SluiceConfig config;

    @Inject
    EmbeddedKafkaConfig settings;

    /** How long a look at the free disk space stays true: a write asks at most this often. */
    private static final long DISK_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private KafkaRaftServer server;
    private String bootstrapServers;
    private volatile FileStore logDisk;
    private volatile long minFreeDisk = -1;
    private volatile long sampledAt;
    private volatile long freeDisk = Long.MAX_VALUE;
    private volatile boolean refusing;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (settings.enabled()) {
            start();
        }
    }

    @Override
    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(bootstrapServers);
    }

    /**
     * Refuses writes while the log's disk has less than {@code sluice.embedded-kafka.min-free-disk} free: Kafka
     * halts the whole JVM when it cannot write its log, so the bus stops taking events first.
     */
    @Override
    public Optional<String> writesRefused() {
        FileStore disk = logDisk;
        if (disk == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - sampledAt > DISK_SAMPLE_NANOS) {
            sampledAt = now;
            try {
                freeDisk = disk.getUsableSpace();
            } catch (IOException e) {
                LOG.debugf("Cannot read the free space of %s: %s", disk, e.getMessage());
            }
            boolean low = freeDisk < minFreeDisk();
            if (low != refusing) {
                refusing = low;
                if (low) {
                    LOG.errorf("The embedded broker's disk has %d MiB free, below %d MiB: refusing writes until space is freed",
                            freeDisk >> 20, minFreeDisk() >> 20);
                } else {
                    LOG.infof("The embedded broker's disk has %d MiB free again: taking writes", freeDisk >> 20);
                }
            }
        }
        return refusing ? Optional.of("the embedded broker's disk has " + (freeDisk >> 20) + " MiB free, less than the "
                + (minFreeDisk() >> 20) + " MiB it keeps (sluice.embedded-kafka.min-free-disk)") : Optional.empty();
    }

    /** The free-disk threshold; a test raises it above the free space instead of filling the disk. */
    public void minFreeDisk(long bytes) {
        minFreeDisk = bytes;
        sampledAt = System.nanoTime() - 2 * DISK_SAMPLE_NANOS; // the next write looks again
    }

    private long minFreeDisk() {
        return minFreeDisk >= 0 ? minFreeDisk : settings.minFreeDisk().asLongValue();
    }

    /** Starts the broker, unless it runs; a test that stops it can start it again on the same log. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Path logDir = Path.of(config.data().dir(), "kafka").toAbsolutePath();
        int port = settings.port() == 0 ? freePort() : settings.port();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(settings.partitions()));
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        if (settings.fsync()) {
            props.put("log.flush.interval.messages", "1");
        }
        // the cleaner's default 128 MiB buffer kills a small heap
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(NODE_ID)
                        .addDirectory(logDir.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(logDir.toString())
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .run();
            }
            logDisk = Files.getFileStore(logDir);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("The embedded Kafka broker did not start: " + e.getMessage(), e);
        }
        bootstrapServers = "127.0.0.1:" + port;
        LOG.infof("Embedded Kafka broker listening on %s (log in %s%s); watch the bus with any Kafka client",
                bootstrapServers, logDir, settings.fsync() ? ", fsync on every message" : "");
    }

    @PreDestroy
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            bootstrapServers = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
