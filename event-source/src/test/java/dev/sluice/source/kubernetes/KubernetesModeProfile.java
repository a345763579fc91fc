package dev.sluice.source.kubernetes;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Resources from the Kubernetes test server instead of a folder, OpenFunction's kinds included. */
public class KubernetesModeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sluice.resources.source", "kubernetes",
                "sluice.kubernetes.openfunction", "true");
    }
}
