package dev.sluice.source.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** {@code auth.bearer}: {@code Authorization: Bearer <token>} with the token a Secret holds. */
final class BearerCheck implements SenderCheck {
    static final String SCHEME = "Bearer ";
    private final byte[] expected;

    BearerCheck(String token) {
        this.expected = sha256(token);
    }

    @Override
    public CompletionStage<Outcome> check(HttpServerRequest request, Buffer body) {
        String given = BearerCheck.token(request);
        if (given == null) {
            return CompletableFuture.completedFuture(Outcome.MISSING);
        }
        // digests of equal length, compared in constant time: neither the token nor its length leaks
        return CompletableFuture.completedFuture(MessageDigest.isEqual(expected, sha256(given)) ? Outcome.ACCEPTED
                : Outcome.INVALID);
    }

    @Override
    public String challenge() {
        return "Bearer realm=\"sluice\"";
    }

    /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
    static String token(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
