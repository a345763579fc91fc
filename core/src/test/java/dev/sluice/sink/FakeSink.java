package dev.sluice.sink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cloudevents.CloudEvent;

/** A sink that answers from a script, then with its last answer for ever, and records what it was sent. */
public class FakeSink implements Sink {
    private final String destination;
    private final Deque<SinkResponse> script = new ArrayDeque<>();
    private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
    private SinkResponse last = SinkResponse.accepted();

    public FakeSink(String destination) {
        this.destination = destination;
    }

    /** Answers these, in order; the last one is repeated. */
    public synchronized FakeSink answering(SinkResponse... responses) {
        script.addAll(List.of(responses));
        return this;
    }

    public static SinkResponse status(int status) {
        return SinkResponse.answered(status, "status " + status, Optional.empty(), Optional.empty());
    }

    @Override
    public synchronized CompletionStage<SinkResponse> send(CloudEvent event) {
        received.add(event);
        if (!script.isEmpty()) {
            last = script.poll();
        }
        return CompletableFuture.completedFuture(last);
    }

    @Override
    public String destination() {
        return destination;
    }

    public List<CloudEvent> received() {
        return received;
    }
}
