package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The bus producer's settings: Sluice's defaults, settings given over them, and the guarantees no setting changes. */
class KafkaBusSettingsTest {
    private static final Map<String, Object> CONNECTION = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");

    @Test
    void theDefaultsAreIdempotentWithAcksAllAndNoLinger() {
        Map<String, Object> config = KafkaBus.producerConfig(CONNECTION, "p");

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    }

    @Test
    void givenSettingsApplyButTheGuaranteesStay() {
        Map<String, Object> config = KafkaBus.producerConfig(CONNECTION, "p", Map.of("linger.ms", "5",
                "compression.type", "lz4", "acks", "1", "enable.idempotence", "false"));

        assertThat(config).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }
}
