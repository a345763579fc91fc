package dev.sluice.trigger.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.sink.FakeSink;
import dev.sluice.sink.SinkResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

class DeliveryTest {
    private final CloudEvent event = CloudEventBuilder.v1().withId("e-7").withSource(URI.create("/shop"))
            .withType("shop.order").withSubject("o-7").withExtension("region", "eu")
            .withDataContentType("application/json").withData("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).build();

    @Test
    void anEventTheSinkTakesIsDelivered() throws Exception {
        FakeSink sink = new FakeSink("http://sink/").answering(FakeSink.status(204));
        FakeSink letters = new FakeSink("dead");

        DeliveryResult result = deliver(new Delivery(sink, Optional.of(letters), Optional.empty(), "Trigger/ns/t"));

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(letters.received()).isEmpty();
    }

    @Test
    void aRefusedEventGoesToTheDeadLetterWithItsAttributesAndWhy() throws Exception {
        FakeSink sink = new FakeSink("http://sink/").answering(
                SinkResponse.answered(400, "x".repeat(3000), Optional.empty(), Optional.empty()));
        FakeSink letters = new FakeSink("dead");

        DeliveryResult result = deliver(new Delivery(sink, Optional.of(letters), Optional.empty(), "Trigger/ns/t"));

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DEAD_LETTERED);
        assertThat(letters.received()).hasSize(1);
        CloudEvent dead = letters.received().get(0);
        assertThat(dead.getId()).isEqualTo("e-7");
        assertThat(dead.getSubject()).isEqualTo("o-7");
        assertThat(dead.getExtension("region")).isEqualTo("eu");
        assertThat(dead.getData().toBytes()).isEqualTo(event.getData().toBytes());
        assertThat(dead.getExtension(CloudEvents.ERROR_CODE)).isEqualTo(400);
        assertThat(dead.getExtension(CloudEvents.ERROR_DEST)).isEqualTo("http://sink/");
        assertThat((String) dead.getExtension(CloudEvents.ERROR_DATA)).hasSize(DeadLetter.MAX_ERROR_DATA_BYTES);
    }

    @Test
    void anUnreachableSinkIsDeadLetteredWithCodeZeroAndTheReason() throws Exception {
        FakeSink sink = new FakeSink("http://sink/")
                .answering(SinkResponse.unreachable(new java.net.ConnectException("Connection refused")));
        FakeSink letters = new FakeSink("dead");

        deliver(new Delivery(sink, Optional.of(letters), Optional.empty(), "Trigger/ns/t"));

        CloudEvent dead = letters.received().get(0);
        assertThat(dead.getExtension(CloudEvents.ERROR_CODE)).isEqualTo(0);
        assertThat(dead.getExtension(CloudEvents.ERROR_DATA)).isEqualTo("Connection refused");
    }

    @Test
    void withoutADeadLetterARefusedEventIsDropped() throws Exception {
        FakeSink sink = new FakeSink("http://sink/").answering(FakeSink.status(422));

        assertThat(deliver(new Delivery(sink, Optional.empty(), Optional.empty(), "Trigger/ns/t")).outcome())
                .isEqualTo(DeliveryOutcome.DROPPED);
    }

    @Test
    void aDeadLetterThatRefusesTooDropsTheEvent() throws Exception {
        FakeSink sink = new FakeSink("http://sink/").answering(FakeSink.status(400));
        FakeSink letters = new FakeSink("dead").answering(FakeSink.status(500));

        assertThat(deliver(new Delivery(sink, Optional.of(letters), Optional.empty(), "Trigger/ns/t")).outcome())
                .isEqualTo(DeliveryOutcome.DROPPED);
    }

    @Test
    void aReplyOfTheSinkGoesToTheReplyDestinationBeforeTheEventIsDone() throws Exception {
        CloudEvent reply = CloudEventBuilder.v1().withId("r-1").withSource(URI.create("/fn")).withType("shop.done")
                .build();
        FakeSink sink = new FakeSink("http://sink/")
                .answering(SinkResponse.answered(200, "", Optional.of(reply), Optional.empty()));
        FakeSink replies = new FakeSink("replies");

        DeliveryResult result = deliver(new Delivery(sink, Optional.empty(), Optional.of(replies), "Trigger/ns/t"));

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.reply()).hasValueSatisfying(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(replies.received()).extracting(CloudEvent::getId).containsExactly("r-1");
    }

    @Test
    void withoutAReplyDestinationAReplyIsIgnored() throws Exception {
        CloudEvent reply = CloudEventBuilder.v1().withId("r-1").withSource(URI.create("/fn")).withType("t").build();
        FakeSink sink = new FakeSink("http://sink/")
                .answering(SinkResponse.answered(200, "", Optional.of(reply), Optional.empty()));

        DeliveryResult result = deliver(new Delivery(sink, Optional.empty(), Optional.empty(), "Trigger/ns/t"));

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.reply()).isEmpty();
    }

    @Test
    void truncationNeverSplitsACharacter() {
        String text = "é".repeat(600); // 1200 bytes in UTF-8

        String kept = DeadLetter.truncated(text);

        assertThat(kept.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(DeadLetter.MAX_ERROR_DATA_BYTES);
        assertThat(kept).isEqualTo("é".repeat(512));
    }

    private DeliveryResult deliver(Delivery delivery) throws Exception {
        return delivery.deliver(event).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
