package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusHistory;
import dev.sluice.bus.BusFullException;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
import dev.sluice.local.LocalKafkaBroker;
import io.cloudevents.CloudEvent;

/**
 * A Kafka bus on the broker that runs in this process: publishes fail at once with {@link BusFullException} while
 * that broker refuses writes (its disk is nearly full), instead of letting the broker halt the JVM.
 */
final class LocalBrokerBus implements Bus {
    private final Bus kafka;
    private final LocalKafkaBroker broker;

    LocalBrokerBus(Bus kafka, LocalKafkaBroker broker) {
        this.kafka = kafka;
        this.broker = broker;
    }

    @Override
    public CompletionStage<Void> publish(String topic, CloudEvent event) {
        Optional<String> refused = broker.writesRefused();
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new BusFullException(refused.get()));
        }
        return kafka.publish(topic, event);
    }

    @Override
    public CompletionStage<Void> ensureTopics(Collection<String> topics) {
        return kafka.ensureTopics(topics);
    }

    @Override
    public BusSubscription subscribe(String group, Collection<String> topics, BusEventHandler handler) {
        return kafka.subscribe(group, topics, handler);
    }

    @Override
    public BusSubscription subscribeShared(String group, Collection<String> topics, BusEventHandler handler) {
        return kafka.subscribeShared(group, topics, handler);
    }

    @Override
    public Optional<BusTable> table(String name) {
        return kafka.table(name);
    }

    @Override
    public Optional<BusHistory> history() {
        return kafka.history();
    }

    @Override
    public boolean isReachable(Duration timeout) {
        return kafka.isReachable(timeout);
    }

    @Override
    public void close() {
        kafka.close();
    }
}
