package dev.sluice.bus.dapr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.eventbus.DaprBusSpec;
import dev.sluice.api.eventbus.EventBusSpec;

/** The binding refuses what it cannot serve with a reason and the field, before touching any sidecar. */
class DaprBusBindingTest {

    @ParameterizedTest(name = "pubsubName={0}, DAPR_GRPC_PORT={1}")
    @CsvSource(nullValues = "-", value = {
            "-,      50001, PubsubNameMissing,  spec.dapr.pubsubName",
            "'  ',   50001, PubsubNameMissing,  spec.dapr.pubsubName",
            "pubsub, -,     SidecarUnavailable, spec.dapr" })
    void refusesWithAReasonAndTheField(String pubsubName, Integer grpcPort, String reason, String field) {
        DaprBusBinding binding = new DaprBusBinding();
        binding.sidecar = sidecarOnPort(grpcPort);
        DaprBusSpec dapr = new DaprBusSpec();
        dapr.setPubsubName(pubsubName);
        EventBusSpec spec = new EventBusSpec();
        spec.setDapr(dapr);

        InvalidSpecException refused = catchThrowableOfType(InvalidSpecException.class, () -> binding.open(spec, "default"));

        assertThat(spec.bindingNames()).containsExactly(binding.name());
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.field()).isEqualTo(field);
        if (reason.equals("SidecarUnavailable")) {
            assertThat(refused.getMessage()).contains("DAPR_GRPC_PORT").contains("dapr.io/enabled");
        }
    }

    private static DaprSidecarConfig sidecarOnPort(Integer grpcPort) {
        return new DaprSidecarConfig() {
            @Override
            public Optional<Integer> grpcPort() {
                return Optional.ofNullable(grpcPort);
            }

            @Override
            public Optional<String> grpcEndpoint() {
                return Optional.empty();
            }

            @Override
            public Optional<Integer> httpPort() {
                return Optional.empty();
            }

            @Override
            public String sidecarIp() {
                return "127.0.0.1";
            }

            @Override
            public Optional<String> apiToken() {
                return Optional.empty();
            }
        };
    }
}
