package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The loop a Kafka consumer's own thread runs, for {@link KafkaConsumerLoop} and {@link KafkaFanOut}: one poll step
 * after another until closed. A Kafka failure of a step is counted in {@link ConsumerFailures} and retried after a
 * backoff that closing cuts short; a fenced member joins its group again. A wake-up or an interrupt from closing
 * ends the loop quietly, any other error ends it with a log line; either way the consumer's own finish runs.
 */
final class ConsumerThreadLoop {
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    private ConsumerThreadLoop() {
    }

    /**
     * @param log       the consumer's own logger
     * @param name      names the consumer when it stops on an error, for example {@code Consumer x on [orders]}
     * @param start     subscribes, on the consumer's thread
     * @param pollStep  one poll and what follows it; tells {@code failures} when the poll succeeded
     * @param joinAgain replaces a fenced consumer
     * @param finish    commits what it can, and closes
     */
    static void run(Logger log, String name, BooleanSupplier running, CountDownLatch closing, ConsumerFailures failures,
            Runnable start, Runnable pollStep, Runnable joinAgain, Runnable finish) {
        try {
            start.run();
            while (running.getAsBoolean()) {
                try {
                    pollStep.run();
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    failures.pollFailed(e);
                    if (e instanceof FencedInstanceIdException) {
                        joinAgain.run();
                    }
                    closing.await(FAILURE_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.errorf(e, "%s stopped", name);
        } finally {
            finish.run();
        }
    }
}
