package dev.sluice.source.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.Condition;
import dev.sluice.api.Durations;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.RedisEventSpec;
import dev.sluice.secrets.Secrets;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.EventSourceAdapter;
import dev.sluice.source.PublishRetries;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.SourcesConfig;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;

/**
 * {@code spec.redis}: a Redis stream read with a consumer group ({@link RedisStreamReader}: {@code XACK} only after
 * the bus acknowledged, a crashed consumer's pending entries reclaimed with {@code XAUTOCLAIM}: at least once), or a
 * pub/sub channel ({@link RedisChannelReader}: at most once). The client is the Vert.x Redis client that Quarkus
 * manages. OpenFunction's {@code redisType: cluster}, {@code failover}, {@code sentinelMasterName} and
 * {@code poolSize} are refused by name: Sluice reads one node over one connection per event.
 */
@ApplicationScoped
@Identifier(RedisEventSource.TYPE)
public class RedisEventSource implements EventSourceAdapter<RedisEventSpec> {
    static final String TYPE = "redis";

    @Inject
    Vertx vertx;

    @Inject
    SourcesConfig config;

    @Inject
    ReceivedCounter received;

    @Inject
    PublishRetries retries;

    @Inject
    Secrets secrets;

    /** One reader per event; both kinds of reader have the same lifecycle. */
    interface Reader {
        void start();

        void stop();

        Condition state();
    }

    private final Map<EventKey, Reader> running = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, RedisEventSpec> events(EventSourceSpec spec) {
        return spec.getRedis();
    }

    @Override
    public void start(EventKey key, RedisEventSpec spec, EventPublisher publisher) {
        String field = "spec.redis." + key.event();
        RedisOptions options = options(spec, field, spec == null ? null
                : secrets.value(key.namespace(), spec.getRedisPassword(), spec.getRedisPasswordSecretRef(), field + ".redisPassword"));
        boolean stream = spec.getStream() != null && !spec.getStream().isBlank();
        boolean channel = spec.getChannel() != null && !spec.getChannel().isBlank();
        if (stream == channel) {
            throw new InvalidSpecException(Reasons.TOPIC_MISSING, field, "set exactly one of stream (at least once,"
                    + " with a consumer group) or channel (pub/sub, at most once)");
        }
        stop(key);
        Reader reader;
        if (stream) {
            String group = spec.getConsumerGroup() == null || spec.getConsumerGroup().isBlank()
                    ? "sluice-" + key.namespace() + "-" + key.eventSource() + "-" + key.event() : spec.getConsumerGroup();
            Duration reclaimAfter = Durations.parse(spec.getRedeliverInterval(), Duration.ofSeconds(60),
                    field + ".redeliverInterval");
            reader = new RedisStreamReader(key, vertx, options, spec.getStream(), group, consumerName(),
                    reclaimAfter, retries.forEvent(key, TYPE, publisher), received);
        } else {
            reader = new RedisChannelReader(key, vertx, options, spec.getChannel(), publisher, received);
        }
        running.put(key, reader);
        reader.start();
    }

    @Override
    public void stop(EventKey key) {
        Reader reader = running.remove(key);
        if (reader != null) {
            reader.stop();
        }
    }

    @Override
    public Condition state(EventKey key) {
        Reader reader = running.get(key);
        return reader == null ? EventSourceAdapter.super.state(key) : reader.state();
    }

    @PreDestroy
    void shutdown() {
        running.keySet().forEach(this::stop);
    }

    /** This replica's consumer name in a group: stable across restarts, so it reads its own pending entries again. */
    private String consumerName() {
        return config.instanceId().orElse("sluice");
    }

    /** Checks OpenFunction's fields: what one node over one connection can serve, else the field is named. */
    static RedisOptions options(RedisEventSpec spec, String field, String password) {
        if (spec == null || spec.getRedisHost() == null || spec.getRedisHost().isBlank()) {
            throw new InvalidSpecException(Reasons.URL_MISSING, field + ".redisHost", "set the server, e.g. redis:6379");
        }
        if (spec.getRedisType() != null && !spec.getRedisType().equalsIgnoreCase("node")) {
            throw new InvalidSpecException(Reasons.SOURCE_FAILED, field + ".redisType",
                    "only node is served; Redis Cluster is not supported by the redis source");
        }
        if (Boolean.TRUE.equals(spec.getFailover()) || spec.getSentinelMasterName() != null) {
            throw new InvalidSpecException(Reasons.SOURCE_FAILED, field + (spec.getSentinelMasterName() != null
                    ? ".sentinelMasterName" : ".failover"), "Sentinel failover is not supported; name the node in redisHost");
        }
        if (spec.getPoolSize() != null) {
            throw new InvalidSpecException(Reasons.SOURCE_FAILED, field + ".poolSize",
                    "Sluice reads each event over one connection; a pool size has no meaning here");
        }
        String host = spec.getRedisHost().trim();
        if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+")) {
            throw new InvalidSpecException(Reasons.INVALID_URL, field + ".redisHost", "write host:port, e.g. redis:6379");
        }
        String scheme = Boolean.TRUE.equals(spec.getEnableTLS()) ? "rediss://" : "redis://";
        int db = spec.getRedisDB() == null ? 0 : spec.getRedisDB();
        Duration dial = Durations.parse(spec.getDialTimeout(), Duration.ofSeconds(5), field + ".dialTimeout");
        RedisOptions options = new RedisOptions().setConnectionString(scheme + host + "/" + db)
                .setPreferredProtocolVersion(io.vertx.redis.client.ProtocolVersion.RESP2)
                .setMaxWaitingHandlers(1024);
        options.getNetClientOptions().setConnectTimeout((int) dial.toMillis());
        if (password != null && !password.isEmpty()) {
            options.setPassword(password);
        }
        return options;
    }
}
