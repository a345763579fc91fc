package dev.sluice.source.cron;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.sluice.source.EventKey;

/**
 * The last tick each cron event fired (the bus or sink acknowledged it), one small file per event under
 * {@code {sluice.data.dir}/{sluice.sources.cron.state-dir}/{namespace}/{eventsource}/{event}}, replaced atomically.
 * In a cluster the folder must be on a volume that outlives the pod for missed ticks to be noticed after a restart.
 */
final class CronTickStore {
    private static final Logger LOG = Logger.getLogger(CronTickStore.class);

    private final Path dir;

    CronTickStore(Path dir) {
        this.dir = dir;
    }

    Optional<Instant> lastFired(EventKey key) {
        Path file = fileOf(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | DateTimeParseException e) {
            LOG.warnf("Cannot read the last tick of %s from %s (%s); starting from now", key, file, e.getMessage());
            return Optional.empty();
        }
    }

    void fired(EventKey key, Instant tick) {
        Path file = fileOf(key);
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, tick.toString(), StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the tick was sent; only a restart's catch-up loses precision
            LOG.errorf("Cannot record tick %s of %s in %s: %s", tick, key, file, e.getMessage());
        }
    }

    private Path fileOf(EventKey key) {
        // an event name is any map key: encoded so that it stays one file name
        return dir.resolve(key.namespace()).resolve(key.eventSource())
                .resolve(URLEncoder.encode(key.event(), StandardCharsets.UTF_8).replace(".", "%2E"));
    }
}
