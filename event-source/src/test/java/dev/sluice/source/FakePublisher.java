package dev.sluice.source;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.function.Function;

import io.cloudevents.CloudEvent;

/** A publisher whose acknowledgements a test decides, one per attempt; it records every attempt. */
public final class FakePublisher implements EventPublisher {
    public final List<CloudEvent> attempts = new CopyOnWriteArrayList<>();
    private volatile Function<CloudEvent, CompletableFuture<Void>> answer;

    public FakePublisher(Function<CloudEvent, CompletableFuture<Void>> answer) {
        this.answer = answer;
    }

    public void answer(Function<CloudEvent, CompletableFuture<Void>> next) {
        this.answer = next;
    }

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        attempts.add(event);
        return answer.apply(event);
    }

    @Override
    public String identity() {
        return "fake";
    }
}
