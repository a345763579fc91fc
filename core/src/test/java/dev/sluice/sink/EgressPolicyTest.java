package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
    private static final EgressPolicy LOCAL = new EgressPolicy(EgressPolicy.defaults(false));
    private static final EgressPolicy CLUSTER = new EgressPolicy(EgressPolicy.defaults(true));

    @ParameterizedTest(name = "{0}: local refuses {1}, cluster refuses {2}")
    @CsvSource({
            "169.254.169.254, true, true",
            "169.254.0.1, true, true",
            "fe80::1, true, true",
            "::ffff:169.254.169.254, true, true",
            "127.0.0.1, false, true",
            "127.1.2.3, false, true",
            "::1, false, true",
            "0.0.0.0, false, true",
            "10.0.0.1, false, false",
            "93.184.216.34, false, false",
            "2001:db8::1, false, false" })
    void theDefaultsDenyLinkLocalAndInClusterModeLoopback(String address, boolean local, boolean cluster)
            throws Exception {
        InetAddress ip = InetAddress.getByName(address);

        assertThat(LOCAL.refuses(ip)).isEqualTo(local);
        assertThat(CLUSTER.refuses(ip)).isEqualTo(cluster);
    }

    @Test
    void aHostIsCheckedOnEveryAddressItResolvesTo() {
        assertThat(CLUSTER.refusal("localhost")).hasValueSatisfying(why -> assertThat(why)
                .contains("localhost").contains("sluice.egress.deny"));
        assertThat(LOCAL.refusal("localhost")).isEmpty();
        assertThat(LOCAL.refusal("169.254.169.254")).hasValueSatisfying(why -> assertThat(why)
                .contains("169.254.0.0/16"));
        // a name that does not resolve now passes here; the check at send time still holds
        assertThat(CLUSTER.refusal("no-such-host.invalid")).isEmpty();
    }

    @Test
    void aConfiguredListReplacesTheDefaults() throws Exception {
        EgressPolicy custom = new EgressPolicy(List.of("10.0.0.0/8", "fd00::/8"));

        assertThat(custom.refuses(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(custom.refuses(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(custom.refuses(InetAddress.getByName("169.254.169.254"))).isFalse();
        assertThat(new EgressPolicy(List.of("")).refuses(InetAddress.getByName("169.254.169.254"))).isFalse();
    }

    @Test
    void aCidrThatIsNotAnAddressIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new EgressPolicy(List.of("metadata.internal/32")))
                .hasMessageContaining("sluice.egress.deny").hasMessageContaining("metadata.internal/32");
        assertThatThrownBy(() -> new EgressPolicy(List.of("10.0.0.0/x"))).hasMessageContaining("not a CIDR");
    }
}
