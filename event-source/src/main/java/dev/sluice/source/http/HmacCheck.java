package dev.sluice.source.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.HttpAuthSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code auth.hmac}: the hex HMAC of the raw body, keyed with a Secret's value, in a header after a prefix, as
 * GitHub sends {@code X-Hub-Signature-256: sha256=<hex>}. Compared in constant time.
 */
final class HmacCheck implements SenderCheck {
    static final String DEFAULT_HEADER = "X-Hub-Signature-256";
    static final String DEFAULT_ALGORITHM = "sha256";
    static final String DEFAULT_PREFIX = "sha256=";
    private static final Map<String, String> ALGORITHMS = Map.of("sha256", "HmacSHA256", "sha1", "HmacSHA1",
            "sha512", "HmacSHA512");

    private final SecretKeySpec key;
    private final String header;
    private final String prefix;

    private HmacCheck(SecretKeySpec key, String header, String prefix) {
        this.key = key;
        this.header = header;
        this.prefix = prefix;
    }

    static HmacCheck of(HttpAuthSpec.Hmac spec, String secret, String field) {
        String algorithm = spec.getAlgorithm() == null ? DEFAULT_ALGORITHM : spec.getAlgorithm().toLowerCase(Locale.ROOT);
        String mac = ALGORITHMS.get(algorithm);
        if (mac == null) {
            throw new InvalidSpecException(Reasons.AUTH_INVALID, field + ".algorithm", "unknown algorithm '"
                    + spec.getAlgorithm() + "'; known: " + ALGORITHMS.keySet().stream().sorted().toList());
        }
        String header = spec.getHeader() == null || spec.getHeader().isBlank() ? DEFAULT_HEADER : spec.getHeader();
        return new HmacCheck(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac), header,
                spec.getPrefix() == null ? DEFAULT_PREFIX : spec.getPrefix());
    }

    @Override
    public CompletionStage<Outcome> check(HttpServerRequest request, Buffer body) {
        String signature = request.getHeader(header);
        if (signature == null || signature.isBlank()) {
            return CompletableFuture.completedFuture(Outcome.MISSING);
        }
        return CompletableFuture.completedFuture(matches(signature.trim(), body.getBytes())
                ? Outcome.ACCEPTED : Outcome.BAD_SIGNATURE);
    }

    private boolean matches(String signature, byte[] body) {
        if (!signature.startsWith(prefix)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(prefix.length()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return MessageDigest.isEqual(mac.doFinal(body), given);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String challenge() {
        return "HMAC realm=\"sluice\", header=\"" + header + "\"";
    }
}
