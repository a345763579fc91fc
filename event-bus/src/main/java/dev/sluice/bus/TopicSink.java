package dev.sluice.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.SinkSpec;
import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkOwner;
import dev.sluice.sink.SinkResponse;
import dev.sluice.sink.SinkTarget;
import dev.sluice.sink.SinkType;
import io.cloudevents.CloudEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** An async function's topic: each event is published on the bus, and delivered once the bus acknowledged it. */
public class TopicSink implements Sink {
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

    @Override
    public List<String> busTopics() {
        return List.of(topic);
    }

    /** {@code topic}, {@code deadLetterTopic}, {@code replyTopic}: a topic on the resource's bus, used as written. */
    @ApplicationScoped
    @Identifier(SinkSpec.TOPIC)
    public static class Type implements SinkType {

        @Inject
        Vertx vertx;

        @Inject
        Buses buses;

        @Override
        public String name() {
            return SinkSpec.TOPIC;
        }

        @Override
        public Sink open(SinkTarget target, SinkOwner owner, Duration timeout) {
            String topic = target.address() == null ? "" : target.address().trim();
            if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, target.field(),
                        "'" + target.address() + "' is not a topic name (letters, digits, '.', '_', '-')");
            }
            String busName = owner.eventBus().orElseThrow(() -> new InvalidSpecException(Reasons.SINK_NOT_RESOLVED,
                    target.field(), "a topic needs an event bus, and this resource names none"));
            // the same connection the owner uses: Buses keeps one per bus spec
            return new TopicSink(buses.resolve(owner.namespace(), busName, target.field()).bus(), topic, vertx);
        }
    }
}
