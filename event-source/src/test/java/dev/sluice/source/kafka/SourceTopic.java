package dev.sluice.source.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A fresh one-partition topic on the embedded broker, written by a plain producer, as a user's app would. */
public final class SourceTopic implements AutoCloseable {
    public final String name;
    public final String brokers;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    public SourceTopic(String brokers, String prefix) throws Exception {
        this.brokers = brokers;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.admin = Admin.create(Map.of("bootstrap.servers", brokers));
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** @param headers name, value, name, value, ... */
    public RecordMetadata send(String key, String value, String... headers) throws Exception {
        return send(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers);
    }

    RecordMetadata send(String key, byte[] value, String... headers) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(name, key, value);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(new RecordHeader(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** The offset a consumer group committed on partition 0, -1 when none. */
    long committed(String group) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(name, 0));
        return offset == null ? -1 : offset.offset();
    }

    long end() throws Exception {
        TopicPartition partition = new TopicPartition(name, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(30, TimeUnit.SECONDS).offset();
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
