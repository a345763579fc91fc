package dev.sluice.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The minimal function the load run delivers to: counts each POST, records the latency from the event's
 * {@code ce-time} to its receipt, and answers 202. It does nothing else, so that it measures Sluice, not itself.
 * <p>
 * Also a process of its own for {@code benchmarks/shared-harness.sh} ({@code SH_SINK=counting}), in place of
 * the shared harness's sink: {@code CountingSink PORT}; {@code GET /count} answers the events counted so far.
 */
final class CountingSink implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final LatencyRecorder latencies = new LatencyRecorder();

    CountingSink(int eventLoops) {
        this(eventLoops, 0);
    }

    private CountingSink(int eventLoops, int port) {
        vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(eventLoops));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
        server.requestHandler(request -> {
            if (request.path().equals("/count")) {
                request.response().end(Long.toString(latencies.count()));
                return;
            }
            String time = request.getHeader("ce-time");
            request.body().onComplete(body -> {
                latencies.received(time);
                request.response().setStatusCode(202).end();
            });
        });
    }

    public static void main(String[] args) throws Exception {
        new CountingSink(1, Integer.parseInt(args[0])).start();
    }

    /** Starts listening on a free port of 127.0.0.1 and answers it. */
    int start() throws Exception {
        return server.listen().toCompletionStage().toCompletableFuture().get().actualPort();
    }

    int port() {
        return server.actualPort();
    }

    LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
