package dev.sluice.source.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.bus.BusNames;
import dev.sluice.bus.Buses;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.TestEventSources;
import dev.sluice.source.TestEventSources.BusRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

/**
 * Sender authentication per HTTP event, against Secrets from the resources folder and a JWKS served over real HTTP:
 * every accepted event reaches the bus (counted by id), every refused one does not, and each outcome is counted.
 */
@QuarkusTest
class SenderAuthTest {
    private static final String ISSUER = "https://issuer.sluice.test";
    private static HttpServer jwksServer;
    private static KeyPair issuerKey;
    private static KeyPair strangerKey;
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();

    @Inject
    ResourceCatalog catalog;

    @Inject
    Buses buses;

    @BeforeAll
    static void serveJwks() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        issuerKey = generator.generateKeyPair();
        strangerKey = generator.generateKeyPair();
        RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) issuerKey.getPublic());
        jwk.setKeyId("k1");
        jwk.setAlgorithm("RS256");
        byte[] jwks = new JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            JWKS_FETCHES.incrementAndGet();
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksServer.start();
    }

    @AfterAll
    static void stopJwks() {
        jwksServer.stop(0);
    }

    @Test
    void aBearerTokenIsCheckedAndOnlyAcceptedEventsReachTheBus() {
        TestEventSources.upsert(catalog, 1, "auth-bearer", """
                http:
                  orders:
                    auth: {bearer: {secretRef: {name: webhook, key: token}}}
                """);
        TestEventSources.awaitReady(catalog, "default", "auth-bearer");
        try (BusRecorder bus = new BusRecorder(buses, "auth-bearer-test", BusNames.topic("default", "auth-bearer", "orders"))) {
            Response missing = post(given(), "bearer-none", "/default/auth-bearer/orders");
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(post(given().header("Authorization", "Bearer wrong"), "bearer-wrong", "/default/auth-bearer/orders")
                    .statusCode()).isEqualTo(401);
            assertThat(post(given().header("Authorization", "Bearer s3cret-bearer"), "bearer-ok",
                    "/default/auth-bearer/orders").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.containsKey("bearer-ok"));
            assertThat(bus.byId.keySet()).containsExactly("bearer-ok");
        }
        assertThat(metric("auth-bearer", "missing")).isEqualTo(1);
        assertThat(metric("auth-bearer", "invalid")).isEqualTo(1);
        assertThat(metric("auth-bearer", "accepted")).isEqualTo(1);
    }

    @Test
    void anHmacSignatureOfTheRawBodyIsCheckedAsGitHubSendsIt() throws GeneralSecurityException {
        TestEventSources.upsert(catalog, 1, "auth-hmac", """
                http:
                  push:
                    auth: {hmac: {secretRef: {name: webhook, key: hmac-key}}}
                """);
        TestEventSources.awaitReady(catalog, "default", "auth-hmac");
        String body = "{\"ref\":\"refs/heads/main\"}";
        try (BusRecorder bus = new BusRecorder(buses, "auth-hmac-test", BusNames.topic("default", "auth-hmac", "push"))) {
            Response missing = given().contentType("application/json").header("ce-specversion", "1.0")
                    .header("ce-id", "hmac-none").header("ce-source", "/gh").header("ce-type", "push").body(body)
                    .post("/default/auth-hmac/push");
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.header("WWW-Authenticate")).contains("X-Hub-Signature-256");
            assertThat(signed(body, "sha256=" + hmac("wrong-key", body), "hmac-wrong").statusCode()).isEqualTo(403);
            assertThat(signed(body + " ", "sha256=" + hmac("s3cret-hmac", body), "hmac-changed").statusCode())
                    .as("the signature is of the raw body: one more byte breaks it").isEqualTo(403);
            assertThat(signed(body, "sha256=" + hmac("s3cret-hmac", body), "hmac-ok").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.containsKey("hmac-ok"));
            assertThat(bus.byId.keySet()).containsExactly("hmac-ok");
        }
        assertThat(metric("auth-hmac", "bad_signature")).isEqualTo(2);
        assertThat(metric("auth-hmac", "missing")).isEqualTo(1);
    }

    @Test
    void anOidcJwtMustBeSignedByTheIssuersKeyForTheAudience() {
        String jwksUri = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
        TestEventSources.upsert(catalog, 1, "auth-oidc", """
                http:
                  calls:
                    auth: {oidc: {issuer: "%s", audience: sluice, jwksUri: "%s"}}
                """.formatted(ISSUER, jwksUri));
        TestEventSources.awaitReady(catalog, "default", "auth-oidc");
        String path = "/default/auth-oidc/calls";
        try (BusRecorder bus = new BusRecorder(buses, "auth-oidc-test", BusNames.topic("default", "auth-oidc", "calls"))) {
            assertThat(post(given(), "oidc-none", path).statusCode()).isEqualTo(401);
            assertThat(post(bearer(token(ISSUER, "other-audience", issuerKey.getPrivate())), "oidc-audience", path)
                    .statusCode()).isEqualTo(401);
            assertThat(post(bearer(token("https://elsewhere", "sluice", issuerKey.getPrivate())), "oidc-issuer", path)
                    .statusCode()).isEqualTo(401);
            assertThat(post(bearer(token(ISSUER, "sluice", strangerKey.getPrivate())), "oidc-stranger", path)
                    .statusCode()).isEqualTo(401);
            assertThat(post(bearer("not.a.jwt"), "oidc-garbage", path).statusCode()).isEqualTo(401);
            assertThat(post(bearer(token(ISSUER, "sluice", issuerKey.getPrivate())), "oidc-ok", path).statusCode())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.containsKey("oidc-ok"));
            assertThat(bus.byId.keySet()).containsExactly("oidc-ok");
        }
        assertThat(JWKS_FETCHES.get()).as("the JWKS came over HTTP").isPositive();
        assertThat(metric("auth-oidc", "invalid")).isEqualTo(4);
        assertThat(metric("auth-oidc", "accepted")).isEqualTo(1);
    }

    @Test
    void aMissingSecretOrTwoKindsAreNotReadyNamingTheField() {
        TestEventSources.upsert(catalog, 1, "auth-lost", """
                http:
                  orders:
                    auth: {bearer: {secretRef: {name: nowhere, key: token}}}
                """);
        TestEventSources.upsert(catalog, 1, "auth-two", """
                http:
                  orders:
                    auth: {bearer: {secretRef: {name: webhook, key: token}}, hmac: {secretRef: {name: webhook, key: hmac-key}}}
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TestEventSources.condition(catalog, "default", "auth-lost", "Ready")).hasValueSatisfying(c -> {
                assertThat(c.isTrue()).isFalse();
                assertThat(c.getMessage()).contains("spec.http.orders.auth.bearer.secretRef", "no Secret 'nowhere'");
            });
            assertThat(TestEventSources.condition(catalog, "default", "auth-two", "Ready")).hasValueSatisfying(c ->
                    assertThat(c.getMessage()).contains("spec.http.orders.auth", "exactly one of bearer, hmac or oidc"));
        });
        assertThat(post(given().header("Authorization", "Bearer s3cret-bearer"), "lost-1", "/default/auth-lost/orders")
                .statusCode()).as("not served rather than served without its check").isEqualTo(404);
    }

    private static String token(String issuer, String audience, PrivateKey key) {
        return Jwt.issuer(issuer).audience(Set.of(audience)).subject("ci").expiresIn(300).jws().keyId("k1").sign(key);
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static Response signed(String body, String signature, String id) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/gh").header("ce-type", "push").header("X-Hub-Signature-256", signature)
                .body(body).post("/default/auth-hmac/push");
    }

    private static Response post(RequestSpecification request, String id, String path) {
        return request.contentType("application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/test").header("ce-type", "test").body("{}").post(path);
    }

    private static String hmac(String key, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The sluice_source_auth_total sample of this event source and outcome, from the Prometheus endpoint. */
    private static double metric(String eventSource, String outcome) {
        return given().get("/q/metrics").asString().lines()
                .filter(line -> line.startsWith("sluice_source_auth_total{") && line.contains("eventsource=\"" + eventSource + "\"")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
