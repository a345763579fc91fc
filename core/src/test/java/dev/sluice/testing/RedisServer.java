package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} process (Debian's package) on a free loopback port, without persistence, as the
 * MQTT end-to-end tests start Mosquitto. Fails, never skips, when redis-server is not installed.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    public final int port;

    public RedisServer() {
        port = freePort();
        Path binary = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("redis-server is not installed: apt-get install -y redis-server");
        }
        try {
            Path log = Files.createTempFile("redis-" + port, ".log");
            process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    /** {@code 127.0.0.1:port}, as a source's {@code redisHost}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Kills the server at once: its streams are gone with it (no persistence). */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
