package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReplicaIdentityTest {

    @ParameterizedTest
    @CsvSource({
            "sluice-trigger-7d9f-x2k-sluice-trigger-default-orders, sluice-trigger-7d9f-x2k-sluice-trigger-default-orders",
            "local-1a2b3c4d-source-default/shop/orders, local-1a2b3c4d-source-default_shop_orders",
            "pod.name_1-group, pod.name_1-group",
            "été:1, _t__1" })
    void aMemberIdIsMadeOfKafkasCharactersOnly(String raw, String id) {
        assertThat(ReplicaIdentity.validKafkaId(raw)).isEqualTo(id);
    }

    @Test
    void aLongMemberIdIsCutToKafkasLimitAndTwoLongOnesStayApart() {
        String a = "replica-" + "x".repeat(300) + "-a";
        String b = "replica-" + "x".repeat(300) + "-b";
        assertThat(ReplicaIdentity.validKafkaId(a)).hasSize(249).matches("[a-zA-Z0-9._-]+")
                .isNotEqualTo(ReplicaIdentity.validKafkaId(b));
    }
}
