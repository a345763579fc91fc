package dev.sluice.trigger.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.api.trigger.DeliverySpec;
import dev.sluice.sink.FakeSink;
import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Vertx;

class RetryingSinkTest {
    private static Vertx vertx;
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final RetryListener recordDelays = (event, response, retry, delay) -> delays.add(delay);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @Test
    void retriesAServerErrorUntilTheSinkTakesTheEvent() throws Exception {
        FakeSink sink = new FakeSink("http://sink").answering(FakeSink.status(503), FakeSink.status(503),
                FakeSink.status(200));

        SinkResponse last = send(sink, policy(5, "linear"));

        assertThat(last.status()).isEqualTo(200);
        assertThat(sink.received()).hasSize(3);
        assertThat(delays).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void givesUpAfterTheLastRetryWithTheLastAnswer() throws Exception {
        FakeSink sink = new FakeSink("http://sink").answering(FakeSink.status(500));

        SinkResponse last = send(sink, policy(3, "exponential"));

        assertThat(last.status()).isEqualTo(500);
        assertThat(sink.received()).hasSize(4);
        assertThat(delays).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
    }

    @Test
    void aClientErrorIsFinalAtOnce() throws Exception {
        FakeSink sink = new FakeSink("http://sink").answering(FakeSink.status(400));

        SinkResponse last = send(sink, policy(5, "exponential"));

        assertThat(last.status()).isEqualTo(400);
        assertThat(sink.received()).hasSize(1);
        assertThat(delays).isEmpty();
    }

    @Test
    void aSinkThatThrowsCountsAsUnreachableAndIsRetried() throws Exception {
        Sink broken = new FakeSink("http://sink") {
            @Override
            public synchronized java.util.concurrent.CompletionStage<SinkResponse> send(CloudEvent event) {
                super.send(event);
                throw new IllegalStateException("boom");
            }
        };

        SinkResponse last = send(broken, policy(2, "linear"));

        assertThat(last.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(last.failure()).contains("boom");
        assertThat(((FakeSink) broken).received()).hasSize(3);
    }

    private SinkResponse send(Sink sink, DeliveryPolicy policy) throws Exception {
        return new RetryingSink(sink, policy, vertx, recordDelays).send(event()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static DeliveryPolicy policy(int retry, String backoff) {
        DeliverySpec spec = new DeliverySpec();
        spec.setRetry(retry);
        spec.setBackoffPolicy(backoff);
        spec.setBackoffDelay("10ms");
        return DeliveryPolicy.DEFAULTS.overriddenBy(spec, "spec.delivery");
    }

    private static CloudEvent event() {
        return CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t").build();
    }
}
