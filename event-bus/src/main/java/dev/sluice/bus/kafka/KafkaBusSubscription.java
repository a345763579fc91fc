package dev.sluice.bus.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import io.cloudevents.CloudEvent;

/**
 * One consumer group on the Kafka bus, run by a {@link KafkaConsumerLoop}, as a static member named after this
 * replica, so that a restarted replica takes its partitions back at once. A new group starts at the end of its
 * topics. An event whose handler failed, and a record that is not a CloudEvent, are logged and count as
 * consumed: retrying them is the handler's business, not the bus's.
 */
class KafkaBusSubscription implements BusSubscription {
    private static final Logger LOG = Logger.getLogger(KafkaBusSubscription.class);

    private final String group;
    private final BusEventHandler handler;
    private final BinaryEventDeserializer deserializer = new BinaryEventDeserializer();
    private final KafkaConsumerLoop loop;

    /** @param memberId this replica's static member id in the group ({@code group.instance.id}) */
    KafkaBusSubscription(Map<String, Object> clientConfig, String group, String memberId, Collection<String> topics,
            BusEventHandler handler, Consumer<KafkaBusSubscription> onClosed) {
        this.group = group;
        this.handler = handler;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // one group per Trigger, and a service may run hundreds: each holds at most 200 events in flight (twice
        // a subscriber's default maxInFlight) and fetches at most 256 KiB ahead, instead of Kafka's 500 records
        // and 1 MiB per partition, which ran a 512 MiB heap out of memory with 100 Triggers behind on one topic
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        // Kafka's default, said out loud: the range assignor gives one member the same partition number of every
        // topic of the group, so a Trigger's correlation window for partition p sees both inputs of a join
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        this.loop = KafkaConsumerLoop.fromConfig("sluice-bus-" + group, config, topics, new KafkaConsumerLoop.RecordHandler() {
            @Override
            public CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
                return KafkaBusSubscription.this.handle(record);
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                handler.assigned(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            }

            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                handler.revoked(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            }
        }, () -> onClosed.accept(this));
    }

    void start() {
        loop.start();
    }

    @Override
    public boolean isAssigned() {
        return loop.isAssigned();
    }

    private CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            LOG.errorf("Skipped record %s-%d@%d of group %s: not a CloudEvent (%s)", record.topic(),
                    record.partition(), record.offset(), group, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> outcome;
        try {
            outcome = handler.handle(new BusEvent(record.topic(), record.partition(), record.offset(), event));
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.exceptionally(error -> {
            LOG.errorf("Event %s at %s-%d@%d of group %s failed: %s", event.getId(), record.topic(),
                    record.partition(), record.offset(), group, error.getMessage());
            return null;
        });
    }

    @Override
    public void close() {
        loop.close();
    }
}
