package dev.sluice.it;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Posts numbered order events from a background thread until stopped, so that a crash can happen in
 * the middle of the traffic. Pausing stops new requests without waiting for the ones in flight: while
 * the app is down, posting on would only spin on refused connections.
 */
final class ContinuousPosting {

    private final Poster poster;
    private final String idPrefix;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CountDownLatch resumed = new CountDownLatch(0);
    private volatile Throwable failure;

    private ContinuousPosting(Poster poster, String idPrefix) {
        this.poster = poster;
        this.idPrefix = idPrefix;
        this.thread = new Thread(this::run, "continuous-posting");
        this.thread.setDaemon(true);
    }

    static ContinuousPosting start(Poster poster, String idPrefix) {
        ContinuousPosting posting = new ContinuousPosting(poster, idPrefix);
        posting.thread.start();
        return posting;
    }

    private void run() {
        try {
            for (long number = 0; running; number++) {
                resumed.await();
                if (!running) {
                    return;
                }
                poster.post(OrderEvent.numbered(idPrefix, number));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    void pause() {
        resumed = new CountDownLatch(1);
    }

    void resume() {
        resumed.countDown();
    }

    /** Stops posting and waits until every request sent has been answered or has failed. */
    void stop() throws InterruptedException {
        running = false;
        resume();
        thread.join(TimeUnit.SECONDS.toMillis(60));
        if (thread.isAlive()) {
            throw new AssertionError("the posting thread did not stop within 60 s");
        }
        poster.awaitIdle();
        if (failure != null) {
            throw new AssertionError("the posting thread failed", failure);
        }
    }
}
