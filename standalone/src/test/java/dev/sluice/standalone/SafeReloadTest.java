package dev.sluice.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * An editor's save caught half-way: the file's resources stay as they last parsed, their events keep getting 202
 * and reach the sink, {@code /resources} says why, and the fixed file's change is picked up. Counted by id on the
 * event display.
 */
@QuarkusTest
@QuarkusTestResource(value = TourResources.class, restrictToAnnotatedClass = true)
class SafeReloadTest {
    private static final String FILE = """
            apiVersion: events.sluice.dev/v1alpha1
            kind: EventSource
            metadata: {name: notes, namespace: default}
            spec:
              sink: {uri: "http://127.0.0.1:%d/display"}
              http:
                written: {}
            """;

    @ConfigProperty(name = "sluice.resources.dir")
    Path dir;

    private Path file() {
        return dir.resolve("safe-reload.yaml");
    }

    @AfterEach
    void removeFile() throws Exception {
        Files.deleteIfExists(file());
    }

    @Test
    void aHalfWrittenFileKeepsItsLastGoodResourcesUntilItParsesAgain() throws Exception {
        String good = FILE.formatted(RestAssured.port);
        Files.writeString(file(), good);
        List<String> sent = new ArrayList<>();
        await().atMost(TourMetricsTest.PATIENCE).until(() -> post("written", "before") == 202);
        sent.add("before");

        // cut inside the sink's quoted uri: not YAML
        Files.writeString(file(), good.substring(0, good.indexOf("127.0.0.1")));
        await().atMost(TourMetricsTest.PATIENCE).untilAsserted(() -> assertThat(keptBecause("notes"))
                .contains("safe-reload.yaml: not YAML").contains("serving the last good version"));
        IntStream.range(0, 5).mapToObj(i -> "while-broken-" + i).forEach(id -> {
            assertThat(post("written", id)).as(id).isEqualTo(202);
            sent.add(id);
        });

        Files.writeString(file(), good + "    edited: {}\n");
        await().atMost(TourMetricsTest.PATIENCE).until(() -> post("edited", "after") == 202);
        sent.add("after");
        assertThat(keptBecause("notes")).isNull();
        assertThat(post("written", "after-written")).isEqualTo(202);
        sent.add("after-written");

        await().atMost(TourMetricsTest.PATIENCE).untilAsserted(() -> assertThat(displayedIds()).containsAll(sent));
    }

    private static int post(String event, String id) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "reload-" + id)
                .header("ce-source", "/reload").header("ce-type", "note").body("{}")
                .post("/default/notes/" + event).statusCode();
    }

    private static String keptBecause(String name) {
        JsonPath resources = given().get("/resources").then().statusCode(200).extract().jsonPath();
        return resources.getString("find { it.name == '" + name + "' }.keptBecause");
    }

    private static List<String> displayedIds() {
        return given().get("/display").then().statusCode(200).extract().jsonPath().<String> getList("latest.id").stream()
                .filter(id -> id.startsWith("reload-")).map(id -> id.substring("reload-".length())).toList();
    }
}
