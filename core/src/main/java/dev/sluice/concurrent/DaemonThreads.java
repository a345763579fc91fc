package dev.sluice.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for Sluice's own background loops (reconcile, probes, retries, callbacks). They are daemons so that
 * a loop that is still scheduled never keeps the JVM from exiting; each is named so a thread dump says whose
 * it is.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads that all carry {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
