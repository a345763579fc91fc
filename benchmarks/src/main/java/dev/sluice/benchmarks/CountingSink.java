package dev.sluice.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The minimal function the load run delivers to: counts each POST, records the latency from the event's
 * {@code ce-time} to its receipt, and answers 202. It does nothing else, so that it measures Sluice, not itself.
 */
final class CountingSink implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final LatencyRecorder latencies = new LatencyRecorder();

    CountingSink(int eventLoops) {
        vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(eventLoops));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(request -> {
            String time = request.getHeader("ce-time");
            request.body().onComplete(body -> {
                latencies.received(time);
                request.response().setStatusCode(202).end();
            });
        });
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
