package dev.sluice.delivery;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.bus.Bus;
import io.cloudevents.CloudEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** An async function's topic: each event is published on the bus, and delivered once the bus acknowledged it. */
public class TopicSink implements Sink {
    /** The {@link SinkTarget#type()} this sink serves. */
    public static final String TYPE = "topic";
    private final Bus bus;
    private final String topic;
    private final Vertx vertx;

    TopicSink(Bus bus, String topic, Vertx vertx) {
        this.bus = bus;
        this.topic = topic;
        this.vertx = vertx;
    }

    @Override
    public CompletionStage<SinkResponse> send(CloudEvent event) {
        // a retry fires on an event loop, and a publish may block while the client fetches the topic's metadata
        CompletionStage<Void> published = Context.isOnEventLoopThread()
                ? vertx.executeBlocking(() -> bus.publish(topic, event), false).toCompletionStage()
                        .thenCompose(stage -> stage)
                : bus.publish(topic, event);
        return published.handle((ok, error) -> error == null ? SinkResponse.accepted() : SinkResponse.unreachable(error));
    }

    @Override
    public String destination() {
        return topic;
    }

    /** {@code topic}, {@code deadLetterTopic}, {@code replyTopic}: a topic on the resource's bus, used as written. */
    @ApplicationScoped
    @Identifier(TopicSink.TYPE)
    public static class Type implements SinkType {

        @Inject
        Vertx vertx;

        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public Sink open(SinkTarget target, Optional<Bus> bus, DeliveryPolicy policy) {
            String topic = target.address() == null ? "" : target.address().trim();
            if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new InvalidSpecException("SinkNotResolved", target.field(),
                        "'" + target.address() + "' is not a topic name (letters, digits, '.', '_', '-')");
            }
            Bus on = bus.orElseThrow(() -> new InvalidSpecException("SinkNotResolved", target.field(),
                    "a topic needs an event bus, and this resource names none"));
            return new TopicSink(on, topic, vertx);
        }
    }
}
