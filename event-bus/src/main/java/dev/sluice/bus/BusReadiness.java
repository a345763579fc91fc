package dev.sluice.bus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.sluice.concurrent.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Ready while every bus in use (held by an EventSource or a Trigger, see {@link Buses#busesInUse}) answers; an
 * EventBus that nothing uses shows in its own status only. A background probe asks each open bus every
 * {@code sluice.health.bus-probe-interval}, and a readiness request only reads the latest answers: it never waits
 * on a broker that is down, so neither it nor the liveness requests behind it on the same thread can time out
 * because of one. A bus opened since the last probe counts as not ready until it has answered once.
 */
@Readiness
@ApplicationScoped
public class BusReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(BusReadiness.class);

    @Inject
    Buses buses;

    @Inject
    BusHealthConfig config;

    private final Map<String, Boolean> reachable = new ConcurrentHashMap<>();
    private ScheduledExecutorService prober;

    void onStart(@Observes StartupEvent event) {
        prober = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sluice-bus-probe"));
        long every = config.busProbeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (prober != null) {
            prober.shutdownNow();
        }
    }

    /** Asks every open bus once; runs on the probe thread only. */
    void probe() {
        try {
            Map<String, Bus> open = buses.busesInUse();
            reachable.keySet().retainAll(open.keySet());
            open.forEach((identity, bus) -> {
                boolean answers = bus.isReachable(config.busProbeTimeout());
                Boolean before = reachable.put(identity, answers);
                if (before != null && before != answers) {
                    LOG.infof("Bus %s is %s", identity, answers ? "reachable again" : "unreachable");
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Probing the buses failed");
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sluice-bus");
        boolean up = true;
        boolean unprobed = false;
        for (String identity : buses.busesInUse().keySet()) {
            Boolean answers = reachable.get(identity);
            unprobed |= answers == null;
            response.withData(identity, answers == null ? "not probed yet" : answers ? "reachable" : "unreachable");
            up &= Boolean.TRUE.equals(answers);
        }
        if (unprobed && prober != null) {
            try {
                prober.execute(this::probe); // a new bus: ask now rather than at the next tick
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
        return response.status(up).build();
    }
}
