package dev.sluice.source.redis;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.ReceivedCounter;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Subscribes to one pub/sub channel. Redis keeps nothing for a subscriber that is away or slow, and a message cannot
 * be acknowledged, so this is at most once: a message that arrives while Sluice is down, reconnecting, or while the
 * bus refuses it is lost (counted as {@code stopped} in the last case). Use a stream for at least once.
 */
final class RedisChannelReader implements RedisEventSource.Reader {
    private static final Logger LOG = Logger.getLogger(RedisChannelReader.class);

    private final EventKey key;
    private final Vertx vertx;
    private final Redis client;
    private final String channel;
    private final EventPublisher publisher;
    private final ReceivedCounter received;
    private final RedisMessageMapper mapper;
    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private volatile Condition state = Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTING, "connecting");

    RedisChannelReader(EventKey key, Vertx vertx, RedisOptions options, String channel, EventPublisher publisher,
            ReceivedCounter received) {
        this.key = key;
        this.vertx = vertx;
        this.client = Redis.createClient(vertx, options);
        this.channel = channel;
        this.publisher = publisher;
        this.received = received;
        this.mapper = new RedisMessageMapper(key, channel);
    }

    @Override
    public void start() {
        connect(200);
    }

    private void connect(long backoff) {
        if (stopped) {
            return;
        }
        client.connect().compose(conn -> {
            connection = conn;
            conn.handler(this::onPush);
            conn.exceptionHandler(e -> LOG.debugf("Redis channel %s for %s: %s", channel, key, e.getMessage()));
            conn.endHandler(ended -> reconnect("connection closed", 200));
            return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
        }).onSuccess(ok -> state = Condition.ok(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTED))
                .onFailure(e -> reconnect(e.getMessage(), backoff));
    }

    private void reconnect(String why, long backoff) {
        if (stopped) {
            return;
        }
        state = Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.BROKER_UNREACHABLE,
                "Redis channel " + channel + ": " + why);
        LOG.warnf("Redis channel %s for %s: %s; reconnecting in %d ms", channel, key, why, backoff);
        vertx.setTimer(backoff, t -> connect(Math.min(backoff * 2, 10_000)));
    }

    private void onPush(Response push) {
        if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        publisher.publish(mapper.message(push.get(2).toBytes())).whenComplete((ok, error) -> received.count(key,
                RedisEventSource.TYPE, error == null ? ReceivedCounter.PUBLISHED : ReceivedCounter.STOPPED));
    }

    @Override
    public void stop() {
        stopped = true;
        RedisConnection current = connection;
        if (current != null) {
            current.close();
        }
        client.close();
    }

    @Override
    public Condition state() {
        return state;
    }
}
