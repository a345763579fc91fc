package dev.sluice.source;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.bus.BusConfig;
import dev.sluice.concurrent.DaemonThreads;

/** Makes the {@link RetryingPublisher} of each broker-fed event, with the service's settings and one retry thread. */
@ApplicationScoped
public class PublishRetries {

    @Inject
    SourcesConfig config;

    @Inject
    BusConfig bus;

    @Inject
    ReceivedCounter received;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(

            DaemonThreads.named("sluice-source-retry"));

    /** @param type the source type, for the retry counter's tags */
    public RetryingPublisher forEvent(EventKey key, String type, EventPublisher publisher) {
        return new RetryingPublisher(key, publisher, scheduler, bus.publishTimeout(),
                config.retryInitialBackoff(), config.retryMaxBackoff(), received.retries(key, type),
                received.sinkRefusals(key, type));
    }

    @PreDestroy
    void shutdown() {
        scheduler.shutdownNow();
    }
}
