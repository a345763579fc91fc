package dev.sluice.bus.kafka;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.api.eventbus.KafkaBusSpec;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusBinding;
import io.smallrye.common.annotation.Identifier;

/** {@code spec.kafka}: a Kafka cluster, or the embedded broker when it names no brokers and one runs here. */
@ApplicationScoped
@Identifier("kafka")
public class KafkaBusBinding implements BusBinding {

    @Inject
    EmbeddedKafkaBroker embedded;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean accepts(EventBusSpec spec) {
        return spec.getKafka() != null;
    }

    @Override
    public Bus open(EventBusSpec spec) {
        KafkaBusSpec kafka = spec.getKafka();
        String brokers = kafka.getBrokers();
        if (brokers == null || brokers.isBlank()) {
            brokers = embedded.bootstrapServers().orElseThrow(() -> new InvalidSpecException("BrokersMissing",
                    "spec.kafka.brokers", "no brokers given and no embedded broker runs in this service"));
        }
        Map<String, Object> config = new KafkaConnection(brokers, Boolean.TRUE.equals(kafka.getAuthRequired()),
                kafka.getSaslUsername(), kafka.getSaslPassword(), null).clientConfig("spec.kafka");
        return new KafkaBus(config, Optional.ofNullable(kafka.getPartitions()),
                Optional.ofNullable(kafka.getReplication()).map(Integer::shortValue));
    }
}
