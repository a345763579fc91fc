package dev.sluice.source.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A HiveMQ CE broker in the test JVM (MQTT 3.1.1 and 5, shared subscriptions), listening on a free port of
 * 127.0.0.1, with its sessions on disk so that a {@link #restart} keeps them, as a real broker would.
 */
public class EmbeddedMqttBroker implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedHiveMQ broker;
    private static int port;
    private static Path home;
    private static final Map<String, AtomicInteger> CONNECTS = new ConcurrentHashMap<>();

    /** How often a client id connected: a restarted source connects again. */
    public static int connects(String clientId) {
        AtomicInteger count = CONNECTS.get(clientId);
        return count == null ? 0 : count.get();
    }

    /** tcp://127.0.0.1:port */
    public static String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public static int port() {
        return port;
    }

    @Override
    public Map<String, String> start() {
        try {
            port = freePort();
            home = Files.createTempDirectory("sluice-hivemq-");
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                      </listeners>
                      <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port));
            startBroker();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    /** A new broker on the same port and folders: one instance cannot start twice. */
    private static void startBroker() throws IOException {
        broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withoutLoggingBootstrap() // its logs go through Quarkus's logging, not a logback of its own
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("sluice-connect-counter")
                        .withName("counts connects per client id").withVersion("1").withAuthor("sluice")
                        .withExtensionMain(new ConnectCounter()).build())
                .build();
        broker.start().join();
    }

    /** Stops the broker, lets {@code whileDown} look at the world without it, and starts it again. */
    public static void restart(Runnable whileDown) {
        stopBroker();
        try {
            whileDown.run();
        } finally {
            try {
                startBroker();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void stopBroker() {
        broker.stop().join();
        try {
            broker.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            stopBroker();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class ConnectCounter implements ExtensionMain, ClientLifecycleEventListener {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.eventRegistry().setClientLifecycleEventListener(providerInput -> this);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }

        @Override
        public void onMqttConnectionStart(ConnectionStartInput input) {
            CONNECTS.computeIfAbsent(input.getClientInformation().getClientId(), id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        }

        @Override
        public void onDisconnect(DisconnectEventInput input) {
        }
    }
}
