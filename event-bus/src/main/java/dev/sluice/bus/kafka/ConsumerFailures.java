package dev.sluice.bus.kafka;

import java.util.Optional;

import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * The failing polls and commits of one consumer on its thread, logged once each until one succeeds again: a broker
 * that is down for minutes makes one line, and its return another.
 */
final class ConsumerFailures {
    private static final Logger LOG = Logger.getLogger(ConsumerFailures.class);

    private final String consumer;
    private volatile String lastError;
    /** Whether the last poll failed; read and written on the consumer's thread only. */
    private boolean pollFailing;

    /** @param consumer names it in the log, for example {@code Consumer sluice-bus-my-group on [orders]} */
    ConsumerFailures(String consumer) {
        this.consumer = consumer;
    }

    void failed(String what, KafkaException e) {
        String error = what + " failed: " + e.getMessage();
        if (!error.equals(lastError)) {
            LOG.warnf("%s: %s; retrying", consumer, error);
        }
        lastError = error;
    }

    /** A poll failed; the loop backs off and polls again. */
    void pollFailed(KafkaException e) {
        pollFailing = true;
        failed("poll", e);
    }

    /** A poll succeeded: after failing ones, the consumer has recovered (a commit failure alone is not cleared). */
    void pollSucceeded() {
        if (pollFailing) {
            pollFailing = false;
            recovered();
        }
    }

    void recovered() {
        if (lastError != null) {
            LOG.infof("%s recovered", consumer);
            lastError = null;
        }
    }

    /** The last failure, until the next success. */
    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
