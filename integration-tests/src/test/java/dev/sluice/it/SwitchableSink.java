package dev.sluice.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP sink on 127.0.0.1 that can be broken and fixed: broken, it answers 503 to everything; fixed, 200.
 * It records the {@code ce-id} of each event it took, and separately those that came as part of a replay
 * ({@code ce-sluicereplay}) or a redrive ({@code ce-sluiceredrive}).
 */
final class SwitchableSink implements AutoCloseable {
    private final HttpServer server;
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private final Set<String> replayed = ConcurrentHashMap.newKeySet();
    private final Set<String> redriven = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile boolean broken;

    private SwitchableSink(HttpServer server) {
        this.server = server;
    }

    /** A sink answering on the server's own dispatcher thread: one request at a time is plenty for these tests. */
    static SwitchableSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        SwitchableSink sink = new SwitchableSink(server);
        server.createContext("/", sink::handle);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            String id = exchange.getRequestHeaders().getFirst("ce-id");
            if (broken || id == null) {
                refused.add(String.valueOf(id));
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            taken.add(id);
            if (exchange.getRequestHeaders().getFirst("ce-sluicereplay") != null) {
                replayed.add(id);
            }
            if (exchange.getRequestHeaders().getFirst("ce-sluiceredrive") != null) {
                redriven.add(id);
            }
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }

    void breakIt() {
        broken = true;
    }

    void fix() {
        broken = false;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Ids taken in any way, live, replayed or redriven. */
    Set<String> taken() {
        return new TreeSet<>(taken);
    }

    Set<String> replayed() {
        return new TreeSet<>(replayed);
    }

    Set<String> redriven() {
        return new TreeSet<>(redriven);
    }

    Set<String> refused() {
        return new TreeSet<>(refused);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
