package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How the address of each kind of referenced object is read. */
class SinkRefResolverTest {

    @Test
    void aServiceIsItsClusterDnsNameWithItsFirstPortUnless80() {
        assertThat(SinkRefResolver.serviceUri("orders", "shop",
                Map.of("spec", Map.of("ports", List.of(Map.of("port", 80), Map.of("port", 9090))))))
                .isEqualTo("http://orders.shop.svc.cluster.local/");
        assertThat(SinkRefResolver.serviceUri("orders", "shop",
                Map.of("spec", Map.of("ports", List.of(Map.of("port", 8080), Map.of("port", 80))))))
                .isEqualTo("http://orders.shop.svc.cluster.local:8080/");
        assertThat(SinkRefResolver.serviceUri("orders", "shop", Map.of("spec", Map.of())))
                .isEqualTo("http://orders.shop.svc.cluster.local/");
        assertThat(SinkRefResolver.addressOf("v1", "Service", "orders", "shop", Map.of()))
                .contains("http://orders.shop.svc.cluster.local/");
    }

    @Test
    void anAddressableIsItsAddressUrlElseItsUrl() {
        assertThat(SinkRefResolver.addressOf("serving.knative.dev/v1", "Service", "f", "shop", Map.of("status",
                Map.of("url", "https://f.shop.example.com", "address", Map.of("url", "http://f.shop.svc.cluster.local")))))
                .contains("http://f.shop.svc.cluster.local");
        assertThat(SinkRefResolver.addressOf("serving.knative.dev/v1", "Service", "f", "shop",
                Map.of("status", Map.of("url", "https://f.shop.example.com")))).contains("https://f.shop.example.com");
        assertThat(SinkRefResolver.addressOf("serving.knative.dev/v1", "Service", "f", "shop",
                Map.of("status", Map.of()))).isEmpty();
    }

    @Test
    void aFunctionIsItsInternalAddressElseItsUrl() {
        assertThat(SinkRefResolver.addressOf("core.openfunction.io/v1beta2", "Function", "f", "shop", Map.of("status",
                Map.of("url", "https://f.example.com", "addresses", List.of(
                        Map.of("type", "External", "value", "https://f.example.com"),
                        Map.of("type", "Internal", "value", "http://f.shop.svc.cluster.local/"))))))
                .contains("http://f.shop.svc.cluster.local/");
        assertThat(SinkRefResolver.addressOf("core.openfunction.io/v1beta2", "Function", "f", "shop",
                Map.of("status", Map.of("url", "https://f.example.com")))).contains("https://f.example.com");
        assertThat(SinkRefResolver.addressOf("core.openfunction.io/v1beta2", "Function", "f", "shop", Map.of()))
                .isEmpty();
    }
}
