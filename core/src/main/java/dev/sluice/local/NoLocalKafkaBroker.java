package dev.sluice.local;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/** The cluster services: no broker runs in the process, so every bus names its brokers. */
@ApplicationScoped
@DefaultBean
public class NoLocalKafkaBroker implements LocalKafkaBroker {

    @Override
    public Optional<String> bootstrapServers() {
        return Optional.empty();
    }
}
