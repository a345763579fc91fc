package dev.sluice.source.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * Installs the committed CRDs, Sluice's and the OpenFunction-group copies, before the service starts, so the
 * test server serves their status subresource as a cluster would.
 */
public class InstallCrds implements Consumer<KubernetesServer> {
    static final List<Path> FOLDERS = List.of(Path.of("..", "kubernetes", "crds"),
            Path.of("..", "kubernetes", "openfunction", "crds"));

    @Override
    public void accept(KubernetesServer server) {
        for (Path folder : FOLDERS) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        CustomResourceDefinition crd = server.getClient().getKubernetesSerialization()
                                .unmarshal(in, CustomResourceDefinition.class);
                        server.getClient().apiextensions().v1().customResourceDefinitions().resource(crd).create();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
