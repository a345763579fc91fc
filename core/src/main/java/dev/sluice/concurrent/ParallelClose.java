package dev.sluice.concurrent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * Closes many things at once, each on a thread of its own, and returns once all are closed. A consumer's close
 * waits for its events in flight and its group's answer, so closing a hundred Triggers one after the other would
 * outlast Kubernetes' 30 s grace period; side by side they take as long as the slowest one.
 */
public final class ParallelClose {
    private static final Logger LOG = Logger.getLogger(ParallelClose.class);

    private ParallelClose() {
    }

    /** Closes every one of {@code closeables}, in parallel; a failure is logged and does not stop the others. */
    public static void all(String what, Collection<? extends AutoCloseable> closeables) {
        if (closeables.size() <= 1) {
            closeables.forEach(c -> closeQuietly(what, c));
            return;
        }
        List<Thread> threads = new ArrayList<>();
        for (AutoCloseable closeable : closeables) {
            Thread thread = DaemonThreads.named("sluice-close-" + what).newThread(() -> closeQuietly(what, closeable));
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warnf(e, "Closing a %s failed", what);
        }
    }
}
