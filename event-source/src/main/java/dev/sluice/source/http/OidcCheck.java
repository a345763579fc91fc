package dev.sluice.source.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.HttpAuthSpec;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code auth.oidc}: {@code Authorization: Bearer <jwt>}, a JWT that SmallRye JWT verifies: signed by a key of the
 * issuer's JWKS (fetched from {@code jwksUri} and cached), from {@code issuer}, for {@code audience}, not expired.
 * The check runs off the event loop, since fetching the JWKS waits on the network.
 */
final class OidcCheck implements SenderCheck {
    private final DefaultJWTParser parser;
    private final Vertx vertx;

    private OidcCheck(DefaultJWTParser parser, Vertx vertx) {
        this.parser = parser;
        this.vertx = vertx;
    }

    static OidcCheck of(HttpAuthSpec.Oidc spec, String field, Vertx vertx) {
        for (String[] required : new String[][] { { "issuer", spec.getIssuer() }, { "audience", spec.getAudience() },
                { "jwksUri", spec.getJwksUri() } }) {
            if (required[1] == null || required[1].isBlank()) {
                throw new InvalidSpecException(Reasons.AUTH_INVALID, field + "." + required[0], "required");
            }
        }
        try {
            URI jwks = new URI(spec.getJwksUri());
            if (!"https".equals(jwks.getScheme()) && !"http".equals(jwks.getScheme())) {
                throw new URISyntaxException(spec.getJwksUri(), "not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSpecException(Reasons.AUTH_INVALID, field + ".jwksUri", e.getMessage());
        }
        JWTAuthContextInfo context = new JWTAuthContextInfo(spec.getJwksUri(), spec.getIssuer());
        context.setExpectedAudience(Set.of(spec.getAudience()));
        return new OidcCheck(new DefaultJWTParser(context), vertx);
    }

    @Override
    public CompletionStage<Outcome> check(HttpServerRequest request, Buffer body) {
        String token = BearerCheck.token(request);
        if (token == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(Outcome.MISSING);
        }
        return vertx.executeBlocking(() -> {
            try {
                parser.parse(token);
                return Outcome.ACCEPTED;
            } catch (ParseException e) {
                return Outcome.INVALID;
            }
        }, false).toCompletionStage();
    }

    @Override
    public String challenge() {
        return "Bearer realm=\"sluice\"";
    }
}
