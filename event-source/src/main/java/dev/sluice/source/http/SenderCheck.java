package dev.sluice.source.http;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.HttpAuthSpec;
import dev.sluice.secrets.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * How the HTTP ingress authenticates the sender of one event ({@code spec.http.<event>.auth}): a shared bearer
 * token, an HMAC signature of the raw body, or an OIDC JWT. No check ever logs or echoes a credential.
 */
interface SenderCheck {

    /** What a check concluded, counted in {@code sluice.source.auth} by its {@link #tag}. */
    enum Outcome {
        /** The sender proved who it is. */
        ACCEPTED(0),
        /** No credentials: 401 with {@code WWW-Authenticate}. */
        MISSING(401),
        /** A wrong token or JWT: 401. */
        INVALID(401),
        /** A signature that does not match the body: 403. */
        BAD_SIGNATURE(403);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        /** The HTTP status of a refusal. */
        int status() {
            return status;
        }

        /** The value of the {@code outcome} tag. */
        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Checks one request. Called on the event loop; a check that may wait (fetching a JWKS) completes later.
     *
     * @param body the raw body, as received
     */
    CompletionStage<Outcome> check(HttpServerRequest request, Buffer body);

    /** The {@code WWW-Authenticate} value sent with a 401. */
    String challenge();

    /**
     * The check that {@code auth} asks for, none when it is absent.
     *
     * @param field the path of {@code auth}, e.g. {@code spec.http.orders.auth}
     * @throws InvalidSpecException {@code AuthInvalid} when not exactly one kind is set or a setting is wrong,
     *         {@code SecretNotFound} when a Secret is missing
     */
    static Optional<SenderCheck> of(HttpAuthSpec auth, String namespace, String field, Secrets secrets, Vertx vertx) {
        if (auth == null) {
            return Optional.empty();
        }
        int kinds = (auth.getBearer() != null ? 1 : 0) + (auth.getHmac() != null ? 1 : 0) + (auth.getOidc() != null ? 1 : 0);
        if (kinds != 1) {
            throw new InvalidSpecException(Reasons.AUTH_INVALID, field, "set exactly one of bearer, hmac or oidc");
        }
        if (auth.getBearer() != null) {
            return Optional.of(new BearerCheck(secrets.required(namespace, auth.getBearer().getSecretRef(),
                    field + ".bearer.secretRef")));
        }
        if (auth.getHmac() != null) {
            return Optional.of(HmacCheck.of(auth.getHmac(), secrets.required(namespace, auth.getHmac().getSecretRef(),
                    field + ".hmac.secretRef"), field + ".hmac"));
        }
        return Optional.of(OidcCheck.of(auth.getOidc(), field + ".oidc", vertx));
    }
}
