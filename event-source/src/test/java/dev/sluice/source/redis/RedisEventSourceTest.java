package dev.sluice.source.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventsource.RedisEventSpec;
import dev.sluice.bus.Buses;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.EventKey;
import dev.sluice.source.FakePublisher;
import dev.sluice.source.TestEventSources;
import dev.sluice.source.TestEventSources.BusRecorder;
import dev.sluice.testing.RedisServer;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

@QuarkusTest
class RedisEventSourceTest {
    private static RedisServer server;

    @Inject
    Vertx vertx;

    @Inject
    Buses buses;

    @Inject
    ResourceCatalog catalog;

    @Inject
    @Identifier("redis")
    RedisEventSource source;

    @BeforeAll
    static void startRedis() {
        server = new RedisServer();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @Test
    void streamEntriesReachTheBusEachOnceAndAreAcknowledged() throws Exception {
        TestEventSources.upsert(catalog, 1, "redis-orders", """
                redis:
                  orders: {redisHost: "%s", stream: orders}
                """.formatted(server.host()));
        TestEventSources.awaitReady(catalog, "default", "redis-orders");
        try (BusRecorder bus = new BusRecorder(buses, "redis-orders-test", dev.sluice.bus.BusNames.topic("default", "redis-orders", "orders"))) {
            Set<String> added = add("orders", 50);
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.keySet().containsAll(added));
            assertThat(added.stream().filter(id -> !bus.byId.containsKey(id))).as("lost").isEmpty();
            CloudEvent first = bus.byId.values().iterator().next();
            assertThat(first.getType()).isEqualTo("dev.sluice.redis.stream");
            assertThat(new String(first.getData().toBytes())).contains("\"n\":");
            await().atMost(Duration.ofSeconds(10)).until(() -> pending("orders", "sluice-default-redis-orders-orders") == 0);
        } finally {
            catalog.delete(new ResourceKey("EventSource", "default", "redis-orders"));
        }
    }

    @Test
    void aStopMidStreamAndAnotherConsumersCrashLoseNothing() throws Exception {
        EventKey key = new EventKey("default", "redis-restart", "jobs");
        RedisEventSpec spec = new RedisEventSpec();
        spec.setRedisHost(server.host());
        spec.setStream("jobs");
        spec.setConsumerGroup("jobs-group");
        spec.setRedeliverInterval("1s");
        // another consumer of the group read 10 entries and crashed: they stay pending with it
        command(Request.cmd(Command.XGROUP).arg("CREATE").arg("jobs").arg("jobs-group").arg("$").arg("MKSTREAM"));
        Set<String> added = add("jobs", 10);
        command(Request.cmd(Command.XREADGROUP).arg("GROUP").arg("jobs-group").arg("crashed").arg("COUNT").arg(10)
                .arg("STREAMS").arg("jobs").arg(">"));
        added.addAll(add("jobs", 90));

        // the first run acknowledges 30 events to the bus, then the bus hangs and the source is stopped
        AtomicInteger taken = new AtomicInteger();
        FakePublisher hanging = new FakePublisher(e -> taken.incrementAndGet() <= 30
                ? CompletableFuture.completedFuture(null) : new CompletableFuture<>());
        source.start(key, spec, hanging);
        await().atMost(Duration.ofSeconds(20)).until(() -> hanging.attempts.size() > 30);
        source.stop(key);
        Set<String> firstRun = hanging.attempts.stream().limit(30).map(CloudEvent::getId).collect(Collectors.toSet());

        FakePublisher working = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        try {
            source.start(key, spec, working);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Set<String> seen = working.attempts.stream().map(CloudEvent::getId).collect(Collectors.toSet());
                seen.addAll(firstRun);
                return seen.containsAll(added);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pending("jobs", "jobs-group") == 0);
        } finally {
            source.stop(key);
        }
        Set<String> delivered = working.attempts.stream().map(CloudEvent::getId).collect(Collectors.toSet());
        delivered.addAll(firstRun);
        assertThat(added.stream().filter(id -> !delivered.contains(id)).count()).as("lost").isZero();
        assertThat(working.attempts.stream().map(CloudEvent::getId).filter(id -> !added.contains(id)))
                .as("invented").isEmpty();
        // at least once, and XACKed as soon as the bus took it: only what the stopped run had not handed over comes again
        assertThat(working.attempts.stream().map(CloudEvent::getId).filter(firstRun::contains))
                .as("taken by the bus before the stop, so not read again").isEmpty();
    }

    private Set<String> add(String stream, int count) throws Exception {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(command(Request.cmd(Command.XADD).arg(stream).arg("*").arg("n").arg(i)).toString());
        }
        return ids;
    }

    private long pending(String stream, String group) throws Exception {
        return command(Request.cmd(Command.XPENDING).arg(stream).arg(group)).get(0).toLong();
    }

    private Response command(Request request) throws Exception {
        Redis client = Redis.createClient(vertx, "redis://" + server.host());
        try {
            return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
