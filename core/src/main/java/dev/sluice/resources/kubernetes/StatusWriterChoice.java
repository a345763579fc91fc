package dev.sluice.resources.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.sluice.config.SluiceConfig;
import dev.sluice.resources.LoggingStatusWriter;
import dev.sluice.resources.StatusWriter;

/** Status goes to the status subresource where resources come from the Kubernetes API, to the log otherwise. */
@ApplicationScoped
public class StatusWriterChoice {

    @Produces
    @Singleton
    StatusWriter statusWriter(SluiceConfig config, Instance<KubernetesStatusWriter> kubernetes) {
        // chosen at run time, so one image serves both modes
        return config.resources().source() == SluiceConfig.Source.KUBERNETES ? kubernetes.get() : new LoggingStatusWriter();
    }
}
