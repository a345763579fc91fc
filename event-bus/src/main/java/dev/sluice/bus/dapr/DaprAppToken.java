package dev.sluice.bus.dapr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.smallrye.config.ConfigMapping;

/**
 * Dapr's app API token: with {@code dapr.io/app-token-secret} on the Deployment, the sidecar sends the token in
 * the {@code dapr-api-token} metadata of every call to the app, and gives the app the same token as
 * {@code APP_API_TOKEN}. When it is set, a call to the app callback without it, or with another, is refused with
 * UNAUTHENTICATED (gRPC's 401) before it reaches Sluice. The token is compared in constant time and never logged.
 */
public final class DaprAppToken implements ServerInterceptor {
    static final Metadata.Key<String> HEADER = Metadata.Key.of("dapr-api-token", Metadata.ASCII_STRING_MARSHALLER);

    /** Dapr's environment for the app, {@code APP_API_TOKEN}; the prefix is Dapr's, not Sluice's, on purpose. */
    @ConfigMapping(prefix = "app")
    public interface Config {
        /** The token the sidecar must send; none means calls are not checked (keep the callback port pod-local). */
        Optional<String> apiToken();
    }

    private final byte[] expected;

    DaprAppToken(String expected) {
        this.expected = expected.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String sent = headers.get(HEADER);
        if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
            call.close(Status.UNAUTHENTICATED.withDescription(sent == null
                    ? "no dapr-api-token: this app callback takes calls from its Dapr sidecar only (APP_API_TOKEN)"
                    : "wrong dapr-api-token (APP_API_TOKEN)"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
