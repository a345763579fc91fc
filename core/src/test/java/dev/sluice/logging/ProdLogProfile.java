package dev.sluice.logging;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The prod profile, as in a cluster, for tests that look only at the console: no embedded broker and no resources,
 * so that the app boots in a second or two instead of starting Kafka for a test that never publishes.
 */
public class ProdLogProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.resources.dir", "target/no-resources",
                "quarkus.http.test-port", "0");
    }

    /** The same, with the documented switch QUARKUS_LOG_CONSOLE_JSON_ENABLED=false. */
    public static class WithoutJson extends ProdLogProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.log.console.json.enabled", "false");
            return overrides;
        }
    }
}
