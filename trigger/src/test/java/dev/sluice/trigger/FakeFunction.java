package dev.sluice.trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Sync functions for tests: a real HTTP server (the JDK's) where each path answers as the test scripts it and
 * records every request it got, by CloudEvent id.
 */
final class FakeFunction implements AutoCloseable {

    /** One request as the function saw it, and when. */
    record Request(String id, String type, String body, Map<String, List<String>> headers, Instant received) {
    }

    /** How a path answers: a status and a body, chosen from the request and how many came before it. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, "", Map.of());
        }
    }

    private final HttpServer server;
    private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();

    FakeFunction() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    /**
     * Serves {@code path}.
     *
     * @param answer given the request and how many requests this path had before it
     * @return the URI to give a subscriber's {@code sink.uri}
     */
    URI serve(String path, java.util.function.BiFunction<Request, Integer, Answer> answer) {
        List<Request> seen = requests.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
        server.createContext(path, exchange -> {
            Request request = read(exchange);
            Answer reply;
            synchronized (seen) {
                reply = answer.apply(request, seen.size());
                seen.add(request);
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves {@code path}, answering every request the same. */
    URI serve(String path, Function<Request, Answer> answer) {
        return serve(path, (request, before) -> answer.apply(request));
    }

    /** Every request {@code path} got, in order. */
    List<Request> requests(String path) {
        return requests.getOrDefault(path, List.of());
    }

    private static Request read(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new Request(exchange.getRequestHeaders().getFirst("ce-id"), exchange.getRequestHeaders().getFirst("ce-type"),
                body, Map.copyOf(exchange.getRequestHeaders()), Instant.now());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
