package dev.sluice.standalone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Local mode answers only requests that name a local host, so DNS rebinding cannot reach its one port. */
@QuarkusTest
@QuarkusTestResource(value = TourResources.class, restrictToAnnotatedClass = true)
class LocalHostCheckTest {

    @Test
    void aForeignHostIsRefusedOnEveryRouteAndALocalOneIsServed() {
        for (String path : new String[] { "/resources", "/q/health/ready", "/ui", "/display" }) {
            given().header("Host", "evil.example").get(path).then().statusCode(421)
                    .body(containsString("sluice.local.allowed-hosts"));
            given().header("Host", "evil.example:" + RestAssured.port).get(path).then().statusCode(421);
        }
        given().header("Host", "evil.example").contentType("application/json").header("ce-specversion", "1.0")
                .header("ce-id", "rebound").header("ce-type", "t").header("ce-source", "s").body("{}")
                .post("/default/shop/orders").then().statusCode(421);
        for (String host : new String[] { "localhost:" + RestAssured.port, "LOCALHOST", "127.0.0.1:" + RestAssured.port,
                "[::1]:" + RestAssured.port }) {
            given().header("Host", host).get("/resources").then().statusCode(200);
        }
    }
}
