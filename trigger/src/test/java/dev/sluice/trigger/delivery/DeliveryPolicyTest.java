package dev.sluice.trigger.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.trigger.DeliverySpec;
import dev.sluice.sink.FakeSink;
import dev.sluice.sink.SinkResponse;

class DeliveryPolicyTest {


    @Test
    void theDefaultsBackOffExponentiallyFrom200Milliseconds() {
        assertThat(IntStream.rangeClosed(1, 5).mapToObj(DeliveryPolicy.DEFAULTS::backoff).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1600L, 3200L);
        assertThat(DeliveryPolicy.DEFAULTS.retry()).isEqualTo(5);
        assertThat(DeliveryPolicy.DEFAULTS.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeliveryPolicy.DEFAULTS.retryAfterMax()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void linearBackoffGrowsByTheDelay() {
        DeliverySpec spec = new DeliverySpec();
        spec.setBackoffPolicy("linear");
        spec.setBackoffDelay("PT0.5S");

        DeliveryPolicy policy = DeliveryPolicy.DEFAULTS.overriddenBy(spec, "spec.delivery");

        assertThat(IntStream.rangeClosed(1, 4).mapToObj(policy::backoff).map(Duration::toMillis))
                .containsExactly(500L, 1000L, 1500L, 2000L);
    }

    @Test
    void aLongRetryCountNeverOverflowsTheBackoff() {
        assertThat(DeliveryPolicy.DEFAULTS.backoff(200)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void retryAfterWinsOverAShorterBackoffUpToItsMaximum() {
        DeliverySpec spec = new DeliverySpec();
        spec.setRetryAfterMax("5s");
        DeliveryPolicy policy = DeliveryPolicy.DEFAULTS.overriddenBy(spec, "spec.delivery");

        assertThat(policy.delayBefore(1, throttled(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(1, throttled(Duration.ofSeconds(60)))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayBefore(5, throttled(Duration.ofMillis(100)))).isEqualTo(Duration.ofMillis(3200));
        assertThat(policy.delayBefore(2, FakeSink.status(503))).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aSubscribersFieldsWinOverTheTriggersFieldByField() {
        DeliverySpec trigger = new DeliverySpec();
        trigger.setRetry(2);
        trigger.setTimeout("1s");
        DeliverySpec subscriber = new DeliverySpec();
        subscriber.setRetry(7);
        subscriber.setOrdering("ordered");

        DeliveryPolicy policy = DeliveryPolicy.DEFAULTS.overriddenBy(trigger, "spec.delivery")
                .overriddenBy(subscriber, "spec.subscribers[0].delivery");

        assertThat(policy.retry()).isEqualTo(7);
        assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ordering()).isEqualTo(DeliveryPolicy.Ordering.ORDERED);
        assertThat(policy.backoffDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aBadFieldIsNamed() {
        DeliverySpec spec = new DeliverySpec();
        spec.setBackoffPolicy("fibonacci");

        assertThatThrownBy(() -> DeliveryPolicy.DEFAULTS.overriddenBy(spec, "spec.subscribers[1].delivery"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.subscribers[1].delivery.backoffPolicy");
                    assertThat(e.getMessage()).contains("linear, exponential");
                });
    }

    private static SinkResponse throttled(Duration retryAfter) {
        return SinkResponse.answered(429, "", Optional.empty(), Optional.of(retryAfter));
    }
}
