package dev.sluice.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The tour's own resources ({@code kubernetes/examples/local}), copied to a folder of this test run with the
 * event display's address moved to the port the test app listens on, so the tests run what the README runs
 * without taking port 8080.
 */
public class TourResources implements QuarkusTestResourceLifecycleManager {
    static final Path TOUR = Path.of("..", "kubernetes", "examples", "local");
    private static final String DISPLAY_ADDRESS = "127.0.0.1:8080";

    @Override
    public Map<String, String> start() {
        int port = freePort();
        Path folder = Path.of("target", "tour-" + UUID.randomUUID()).toAbsolutePath();
        try (Stream<Path> files = Files.list(TOUR)) {
            Files.createDirectories(folder);
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            boolean moved = false;
            for (Path file : yaml) {
                String text = Files.readString(file);
                moved |= text.contains(DISPLAY_ADDRESS);
                Files.writeString(folder.resolve(file.getFileName()),
                        text.replace(DISPLAY_ADDRESS, "127.0.0.1:" + port));
            }
            if (!moved) {
                throw new IllegalStateException("the tour in " + TOUR + " no longer sends to " + DISPLAY_ADDRESS
                        + "; update " + TourResources.class.getSimpleName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.http.test-port", String.valueOf(port), "sluice.resources.dir", folder.toString());
    }

    @Override
    public void stop() {
        // the folder stays under target/ for a look after a failure
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
