package dev.sluice.resources;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.SluiceResource;
import io.quarkus.arc.DefaultBean;

/** Local mode: a status change is logged, and {@code GET /resources} shows every status. */
@ApplicationScoped
@DefaultBean
public class LoggingStatusWriter implements StatusWriter {
    private static final Logger LOG = Logger.getLogger(LoggingStatusWriter.class);

    @Override
    public void write(SluiceResource<?> resource) {
        Condition ready = resource.getStatus().condition(Condition.READY).orElse(null);
        if (ready != null && ready.isTrue()) {
            LOG.infof("%s is Ready (generation %d)", resource.key(), resource.generation());
        } else {
            LOG.warnf("%s is not Ready: %s", resource.key(), ready);
        }
    }
}
