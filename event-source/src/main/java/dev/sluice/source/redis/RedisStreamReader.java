package dev.sluice.source.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.source.EventKey;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.RetryingPublisher;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Reads one stream with a consumer group on a thread of its own (never a Vert.x event loop: it waits for each
 * batch). Each batch is published, and only the entries the bus acknowledged are {@code XACK}ed, so a crash leaves
 * the rest pending: at start the reader first reads its own pending entries again (same consumer name), and on every
 * round it takes over entries another consumer left pending for longer than the reclaim interval
 * ({@code XAUTOCLAIM}). At least once from the stream to the bus; the group is created at the stream's end when
 * missing.
 */
final class RedisStreamReader implements RedisEventSource.Reader {
    private static final Logger LOG = Logger.getLogger(RedisStreamReader.class);
    private static final int BATCH = 100;
    private static final int BLOCK_MS = 1000;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final EventKey key;
    private final Redis client;
    private final String stream;
    private final String group;
    private final String consumer;
    private final Duration reclaimAfter;
    private final RetryingPublisher publisher;
    private final ReceivedCounter received;
    private final RedisMessageMapper mapper;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Condition state = Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTING, "connecting");

    RedisStreamReader(EventKey key, Vertx vertx, RedisOptions options, String stream, String group, String consumer,
            Duration reclaimAfter, RetryingPublisher publisher, ReceivedCounter received) {
        this.key = key;
        this.client = Redis.createClient(vertx, options);
        this.stream = stream;
        this.group = group;
        this.consumer = consumer;
        this.reclaimAfter = reclaimAfter;
        this.publisher = publisher;
        this.received = received;
        this.mapper = new RedisMessageMapper(key, stream);
        this.thread = DaemonThreads.named("sluice-redis-" + key).newThread(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void stop() {
        stopped = true;
        publisher.stop();
        thread.interrupt();
        client.close();
    }

    @Override
    public Condition state() {
        return state;
    }

    private void run() {
        long backoff = 200;
        while (!stopped) {
            RedisConnection connection = null;
            try {
                connection = await(client.connect());
                createGroup(connection);
                state = Condition.ok(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTED);
                backoff = 200;
                // entries this consumer read but never acknowledged before it stopped
                while (!stopped && handle(connection, readGroup(connection, "0", false)) > 0) {
                    LOG.debugf("Re-read pending entries of %s for %s", stream, key);
                }
                String claimCursor = "0-0";
                while (!stopped) {
                    claimCursor = reclaim(connection, claimCursor);
                    handle(connection, readGroup(connection, ">", true));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                String why = e instanceof ExecutionException ? String.valueOf(e.getCause()) : String.valueOf(e);
                state = Condition.failed(ConditionTypes.SOURCE_CONNECTED, Reasons.BROKER_UNREACHABLE,
                        "Redis stream " + stream + ": " + why);
                LOG.warnf("Redis stream %s for %s: %s; retrying in %d ms", stream, key, why, backoff);
                try {
                    Thread.sleep(backoff); // a reconnect backoff on this reader's own thread
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }
    }

    private void createGroup(RedisConnection connection) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            await(connection.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("$")
                    .arg("MKSTREAM")));
        } catch (ExecutionException e) {
            if (!String.valueOf(e.getCause().getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private List<Map.Entry<String, Map<String, String>>> readGroup(RedisConnection connection, String from, boolean block)
            throws InterruptedException, ExecutionException, TimeoutException {
        Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(BATCH);
        if (block) {
            read.arg("BLOCK").arg(BLOCK_MS);
        }
        Response response = await(connection.send(read.arg("STREAMS").arg(stream).arg(from)));
        if (response == null || response.size() == 0) {
            return List.of();
        }
        return entries(response.get(0).get(1));
    }

    /** Takes over entries idle for longer than the reclaim interval; returns the cursor for the next round. */
    private String reclaim(RedisConnection connection, String cursor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Response response = await(connection.send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(group).arg(consumer)
                .arg(reclaimAfter.toMillis()).arg(cursor).arg("COUNT").arg(BATCH)));
        List<Map.Entry<String, Map<String, String>>> claimed = entries(response.get(1));
        if (!claimed.isEmpty()) {
            LOG.infof("Reclaimed %d entries of %s left pending by another consumer of %s", claimed.size(), stream, group);
            handle(connection, claimed);
        }
        return response.get(0).toString();
    }

    private static List<Map.Entry<String, Map<String, String>>> entries(Response list) {
        List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>();
        if (list == null) {
            return entries;
        }
        for (Response entry : list) {
            if (entry == null || entry.size() < 2 || entry.get(1) == null) {
                continue; // deleted while pending
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Response pairs = entry.get(1);
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put(pairs.get(i).toString(), pairs.get(i + 1).toString());
            }
            entries.add(Map.entry(entry.get(0).toString(), fields));
        }
        return entries;
    }

    /** Publishes a batch, waits for the bus, acknowledges what it took; returns the batch size. */
    private int handle(RedisConnection connection, List<Map.Entry<String, Map<String, String>>> entries)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (entries.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : entries) {
            CloudEvent event = mapper.entry(entry.getKey(), entry.getValue());
            published.add(publisher.publish(event));
        }
        // XACK as soon as the bus took an entry (together with the ones after it that it took already), so that a
        // stop while the bus hangs leaves only the entries it did not take pending
        int acknowledged = 0;
        int next = 0;
        while (next < entries.size()) {
            Request ack = Request.cmd(Command.XACK).arg(stream).arg(group);
            int inAck = 0;
            do {
                try {
                    published.get(next).get(); // the publisher retries until the bus takes it, or until stop
                    ack.arg(entries.get(next).getKey());
                    inAck++;
                } catch (ExecutionException | CancellationException e) {
                    received.count(key, RedisEventSource.TYPE, ReceivedCounter.STOPPED);
                }
                next++;
            } while (next < entries.size() && published.get(next).isDone());
            if (inAck > 0) {
                await(connection.send(ack));
                acknowledged += inAck;
            }
        }
        if (acknowledged > 0) {
            received.count(key, RedisEventSource.TYPE, ReceivedCounter.PUBLISHED, acknowledged);
        }
        return entries.size();
    }

    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
