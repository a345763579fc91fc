package dev.sluice.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker as a separate process on a free loopback port, for the MQTT source's tests (shared
 * through core's test-jar). Mosquitto must be installed ({@code apt-get install -y mosquitto}, which {@code .ci/run} does); a
 * machine without it fails the test with that instruction rather than skipping it.
 */
public final class Mosquitto implements AutoCloseable {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto"));

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Mosquitto start(Path workDir) throws IOException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "mosquitto is not installed: run `apt-get install -y mosquitto` (or `bash .ci/run`)"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = workDir.resolve("mosquitto.conf");
        // no queue limit: a persistent session must keep everything published while Sluice is down
        Files.writeString(config, """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence false
                max_queued_messages 0
                max_inflight_messages 100
                """.formatted(port));
        Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("mosquitto.log").toFile()).start();
        Mosquitto mosquitto = new Mosquitto(process, port);
        await("mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).until(mosquitto::isListening);
        return mosquitto;
    }

    public int port() {
        return port;
    }

    private boolean isListening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited with " + process.exitValue());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> binary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
