package dev.sluice.bus.kafka;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.api.eventbus.KafkaBusSpec;
import dev.sluice.bus.Bus;
import dev.sluice.bus.BusBinding;
import dev.sluice.bus.BusConfig;
import dev.sluice.config.ReplicaIdentity;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.secrets.Secrets;
import io.smallrye.common.annotation.Identifier;

/** {@code spec.kafka}: a Kafka cluster, or the embedded broker when it names no brokers and one runs here. */
@ApplicationScoped
@Identifier(KafkaBusBinding.NAME)
public class KafkaBusBinding implements BusBinding {
    static final String NAME = "kafka";

    @Inject
    LocalKafkaBroker local;

    @Inject
    Secrets secrets;

    @Inject
    ReplicaIdentity replica;

    @Inject
    BusConfig bus;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Bus open(EventBusSpec spec, String namespace) {
        KafkaBusSpec kafka = spec.getKafka();
        String brokers = kafka.getBrokers();
        boolean embedded = brokers == null || brokers.isBlank();
        if (embedded) {
            brokers = local.bootstrapServers().orElseThrow(() -> new InvalidSpecException(Reasons.BROKERS_MISSING,
                    "spec.kafka.brokers", "no brokers given and no embedded broker runs in this service"));
        }
        Map<String, Object> config = new KafkaConnection(brokers, Boolean.TRUE.equals(kafka.getAuthRequired()),
                kafka.getSaslUsername(), secrets.value(namespace, kafka.getSaslPassword(), kafka.getSaslPasswordSecretRef(),
                        "spec.kafka.saslPassword"), null).clientConfig("spec.kafka");
        KafkaBus kafkaBus = new KafkaBus(config, Optional.ofNullable(kafka.getPartitions()),
                Optional.ofNullable(kafka.getReplication()).map(Integer::shortValue), replica::memberId,
                bus.maxRecordBytes(), bus.kafka().producer(), bus.kafka().consumer());
        return embedded ? new LocalBrokerBus(kafkaBus, local) : kafkaBus;
    }
}
