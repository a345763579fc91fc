package dev.sluice.it;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A real HTTP sink on 127.0.0.1, standing in for a sync function: it takes every POST, records its
 * {@code ce-id} and answers 200 or 202 (both must count as delivered).
 *
 * <p>Delivery is at-least-once, so the sink keeps the set of distinct ids and the total number of
 * requests; the difference is the number of duplicates.
 */
final class RecordingSink implements AutoCloseable {

    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong requestsWithoutId = new AtomicLong();
    private final AtomicLong requestsNotPost = new AtomicLong();
    private final AtomicLong lastNewIdNanos = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean down;
    private volatile java.util.function.Consumer<String> onNewId = id -> { };

    private RecordingSink(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static RecordingSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "recording-sink");
            thread.setDaemon(true);
            return thread;
        });
        RecordingSink sink = new RecordingSink(server, executor);
        server.createContext("/", sink::handle);
        server.setExecutor(executor);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            if (down) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                requestsNotPost.incrementAndGet();
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("ce-id");
            if (id == null) {
                requestsWithoutId.incrementAndGet();
            } else if (ids.add(id)) {
                lastNewIdNanos.accumulateAndGet(System.nanoTime(), Math::max);
                onNewId.accept(id);
            }
            int status = id != null && (id.hashCode() & 1) == 0 ? 200 : 202;
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    /** The URI to put in a Trigger's {@code sink.uri}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** A live view of the distinct {@code ce-id}s received so far. */
    Set<String> ids() {
        return ids;
    }

    /** The ids in {@code expected} that have not arrived (yet). */
    Set<String> missing(Set<String> expected) {
        return expected.stream().filter(id -> !ids.contains(id)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The ids that arrived although they are not in {@code allowed}. */
    Set<String> unexpected(Set<String> allowed) {
        return ids.stream().filter(id -> !allowed.contains(id)).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits until no request has arrived for {@code quiet}: after the expected events are in, this is
     * the window in which an event that should not have been delivered would show up.
     */
    void awaitQuiet(Duration quiet) {
        AtomicLong seen = new AtomicLong(-1);
        await("the sink receives nothing for " + quiet)
                .during(quiet)
                .atMost(quiet.multipliedBy(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = requests.get();
                    return seen.getAndSet(now) == now;
                });
    }

    /** While down, every request is answered 503 and recorded nowhere, as a function that is not running. */
    void setDown(boolean down) {
        this.down = down;
    }

    /** Requests answered 503 while the sink was down. */
    long refused() {
        return refused.get();
    }

    /** Called with each id the first time it arrives, on the sink's threads. */
    void onNewId(java.util.function.Consumer<String> listener) {
        this.onNewId = listener;
    }

    long requests() {
        return requests.get();
    }

    /** Requests that were not a binary-mode CloudEvent (no {@code ce-id} header). */
    long requestsWithoutId() {
        return requestsWithoutId.get();
    }

    long requestsNotPost() {
        return requestsNotPost.get();
    }

    /** Requests beyond the first for each id: the cost of at-least-once delivery. */
    long duplicates() {
        return requests.get() - requestsWithoutId.get() - requestsNotPost.get() - ids.size();
    }

    /** {@link System#nanoTime()} when a not-yet-seen id last arrived, or 0 if none has. */
    long lastNewIdNanos() {
        return lastNewIdNanos.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
