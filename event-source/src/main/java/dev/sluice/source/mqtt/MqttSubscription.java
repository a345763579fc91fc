package dev.sluice.source.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.source.EventKey;

/**
 * One MQTT client subscribed to one topic filter with manual acknowledgement: a message is acknowledged only
 * when its handler calls {@link MqttMessage#acknowledge()}. Every message the client receives, including those
 * a persistent session delivers right at connect, goes to the handler on a thread of this subscription, in
 * arrival order. Lost connections are retried with a doubling wait, and never once the subscription stopped.
 */
final class MqttSubscription {
    private static final Logger LOG = Logger.getLogger(MqttSubscription.class);
    private static final int KEEP_ALIVE_SECONDS = 30;
    /** How long the broker keeps a persistent MQTT 5 session (and its unacknowledged messages) while we are away. */
    private static final long SESSION_EXPIRY_SECONDS = TimeUnit.DAYS.toSeconds(7);

    /** What to connect to and subscribe, already checked. */
    record Settings(String url, String host, int port, MqttClientSslConfig tls, String clientId, String topicFilter,
            int qos, boolean cleanSession, boolean retain, String username, String password, boolean mqtt5,
            Duration initialBackoff, Duration maxBackoff) {
    }

    private final EventKey key;
    private final Settings settings;
    private final Consumer<MqttMessage> handler;
    private final ExecutorService callbacks;
    private final CompletableFuture<Void> stopping = new CompletableFuture<>();
    private final Mqtt3AsyncClient mqtt3;
    private final Mqtt5AsyncClient mqtt5;
    private volatile boolean connected;
    private volatile boolean subscribed;
    private volatile String refused;
    /** Why the last connection attempt failed or the connection dropped; null before the first attempt ends. */
    private volatile String lastCause;

    MqttSubscription(EventKey key, Settings settings, Consumer<MqttMessage> handler) {
        this.key = key;
        this.settings = settings;
        this.handler = handler;
        this.callbacks = Executors.newSingleThreadExecutor(DaemonThreads.named("sluice-mqtt-source-" + key));
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(this::onDisconnected);
        if (settings.tls() != null) {
            builder = builder.sslConfig(settings.tls());
        }
        if (settings.mqtt5()) {
            mqtt5 = builder.useMqttVersion5().buildAsync();
            mqtt3 = null;
        } else {
            mqtt3 = builder.useMqttVersion3().buildAsync();
            mqtt5 = null;
        }
    }

    /** Connects and subscribes in the background; {@link #state()} tells how far it got. */
    void start() {
        if (mqtt5 != null) {
            mqtt5.publishes(MqttGlobalPublishFilter.ALL, publish -> handler.accept(new MqttMessage(
                    publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.getQos().getCode(),
                    publish.isRetain(), publish.getContentType().map(Object::toString).orElse(null),
                    publish::acknowledge)), callbacks, true);
            var connect = mqtt5.connectWith().cleanStart(settings.cleanSession())
                    .sessionExpiryInterval(settings.cleanSession() ? 0 : SESSION_EXPIRY_SECONDS)
                    .keepAlive(KEEP_ALIVE_SECONDS);
            if (settings.username() != null) {
                connect = connect.simpleAuth().username(settings.username()).password(password()).applySimpleAuth();
            }
            connect.send().whenComplete((ack, error) -> connectFailed(error));
            mqtt5.subscribeWith().topicFilter(settings.topicFilter()).qos(qos())
                    .retainHandling(settings.retain() ? Mqtt5RetainHandling.SEND : Mqtt5RetainHandling.DO_NOT_SEND)
                    .send().whenComplete((ack, error) -> subscribed(error, ack == null ? null
                            : ack.getReasonCodes().stream().filter(c -> c.isError()).map(Object::toString)
                                    .findFirst().orElse(null)));
        } else {
            mqtt3.publishes(MqttGlobalPublishFilter.ALL, publish -> handler.accept(new MqttMessage(
                    publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.getQos().getCode(),
                    publish.isRetain(), null, publish::acknowledge)), callbacks, true);
            var connect = mqtt3.connectWith().cleanSession(settings.cleanSession()).keepAlive(KEEP_ALIVE_SECONDS);
            if (settings.username() != null) {
                connect = connect.simpleAuth().username(settings.username()).password(password()).applySimpleAuth();
            }
            connect.send().whenComplete((ack, error) -> connectFailed(error));
            mqtt3.subscribeWith().topicFilter(settings.topicFilter()).qos(qos()).send()
                    .whenComplete((ack, error) -> subscribed(error, ack == null ? null
                            : ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE) ? "FAILURE" : null));
        }
    }

    private MqttQos qos() {
        return MqttQos.fromCode(settings.qos());
    }

    private byte[] password() {
        return settings.password() == null ? new byte[0]
                : settings.password().getBytes(StandardCharsets.UTF_8);
    }

    private void connectFailed(Throwable error) {
        if (error != null) {
            LOG.debugf("MQTT source %s: first connect to %s failed (%s); retrying", key, settings.url(), error.getMessage());
        }
    }

    private void subscribed(Throwable error, String refusal) {
        if (error != null) {
            LOG.debugf("MQTT source %s: subscribe to %s not answered (%s)", key, settings.topicFilter(), error.getMessage());
        } else if (refusal != null) {
            refused = "the broker refused the subscription to " + settings.topicFilter() + " (" + refusal + ")";
            LOG.warnf("MQTT source %s: %s", key, refused);
        } else {
            subscribed = true;
            LOG.infof("MQTT source %s subscribed to %s on %s as %s (QoS %d)", key, settings.topicFilter(), settings.url(),
                    settings.clientId(), settings.qos());
        }
    }

    private void onConnected() {
        connected = true;
        if (stopping.isDone()) {
            // connected by a retry that was already under way when we stopped; this is the client's thread: no waiting
            (mqtt5 != null ? mqtt5.disconnect() : mqtt3.disconnect()).exceptionally(error -> null);
        } else {
            LOG.debugf("MQTT source %s connected to %s", key, settings.url());
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = connected;
        connected = false;
        Throwable cause = context.getCause();
        lastCause = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (stopping.isDone() || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        MqttClientReconnector reconnector = context.getReconnector();
        long delay = Math.min(settings.initialBackoff().toMillis() << Math.min(reconnector.getAttempts(), 20),
                settings.maxBackoff().toMillis());
        if (wasConnected || reconnector.getAttempts() == 0) {
            LOG.warnf("MQTT source %s lost %s: %s; reconnecting with backoff up to %d ms", key, settings.url(), lastCause,
                    settings.maxBackoff().toMillis());
        }
        // reconnect after the wait, unless the subscription stops meanwhile
        CompletableFuture<Void> wait = new CompletableFuture<Void>().completeOnTimeout(null, delay, TimeUnit.MILLISECONDS);
        stopping.thenRun(() -> wait.complete(null));
        reconnector.reconnectWhen(wait, (ok, error) -> {
            if (stopping.isDone()) {
                reconnector.reconnect(false);
            }
        });
    }

    /** {@code SourceConnected}: connected and subscribed, or why not. */
    Condition state() {
        String type = ConditionTypes.SOURCE_CONNECTED;
        if (refused != null) {
            return Condition.failed(type, Reasons.SUBSCRIBE_REFUSED, refused);
        }
        if (!connected && lastCause == null) {
            return Condition.failed(type, Reasons.CONNECTING, "connecting to " + settings.url());
        }
        if (!connected) {
            return Condition.failed(type, Reasons.BROKER_UNREACHABLE, "no connection to " + settings.url() + " (" + lastCause
                    + "); reconnecting");
        }
        if (!subscribed) {
            return Condition.failed(type, Reasons.SUBSCRIBING, "waiting for the broker to confirm the subscription to "
                    + settings.topicFilter());
        }
        return Condition.ok(type, Reasons.CONNECTED);
    }

    /**
     * Disconnects and stops reconnecting. Messages not acknowledged by then stay with the broker: a persistent
     * session ({@code cleanSession: false}) delivers them again at the next connect.
     */
    void stop() {
        stopping.complete(null);
        disconnect();
        callbacks.shutdown();
    }

    private void disconnect() {
        try {
            if (mqtt5 != null && mqtt5.getState().isConnected()) {
                mqtt5.disconnect().get(5, TimeUnit.SECONDS);
            } else if (mqtt3 != null && mqtt3.getState().isConnected()) {
                mqtt3.disconnect().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debugf("MQTT source %s: disconnect from %s failed (%s)", key, settings.url(), e.getMessage());
        }
    }
}
