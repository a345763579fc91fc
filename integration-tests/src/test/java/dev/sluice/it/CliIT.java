package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code sluice} command, run as the packaged jar against the packaged local mode, counting events by id:
 * a replay from a time delivers exactly the events posted after it; 100 dead letters gathered while the sink
 * was broken are all delivered by one redrive once it is fixed, and none twice; {@code sluice test} answers as
 * docs/triggers.md says on its own examples.
 */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERED = Duration.ofSeconds(60);

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    @Test
    void replayFromATimeDeliversExactlyTheEventsPostedAfterIt() throws Exception {
        try (SwitchableSink sink = SwitchableSink.start()) {
            String[] expected = ShopResources.write(sluice.resourcesDir(), "orders", "order", sink.uri());
            sluice.start(expected);
            SluiceCommand cli = new SluiceCommand(sluice.uri("").toString(), sluice.resourcesDir().getParent());

            HttpResponse<String> openapi = sluice.get("/q/openapi");
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body()).as("the management API's OpenAPI document")
                    .contains("/triggers/{namespace}/{name}/replays", "/triggers/{namespace}/{name}/deadletters/redrives");

            SluiceCommand.Result get = cli.run("get", "triggers");
            assertThat(get.exit()).as(get.toString()).isZero();
            assertThat(get.out()).as(get.toString()).contains("KIND", "READY", "REASON").containsPattern("Trigger +default +orders +True");

            Set<String> before = ids("before-", 20);
            post(before);
            await("the live Trigger delivers the events posted before").atMost(DELIVERED)
                    .until(() -> sink.taken().containsAll(before));
            Instant from = Instant.now().plusMillis(1);
            await("the clock passes the replay's start").until(() -> Instant.now().isAfter(from));
            Set<String> after = ids("after-", 20);
            post(after);
            await("the live Trigger delivers the events posted after").atMost(DELIVERED)
                    .until(() -> sink.taken().containsAll(after));
            assertThat(sink.replayed()).as("nothing replayed yet").isEmpty();

            SluiceCommand.Result replay = cli.run("replay", "default/orders", "--from", from.toString(), "-o", "json");
            assertThat(replay.exit()).as(replay.toString()).isZero();
            JsonNode done = JSON.readTree(replay.out());
            assertThat(done.path("state").asText()).as(replay.toString()).isEqualTo("done");
            assertThat(done.path("total").asLong()).as("events in the range").isEqualTo(20);
            assertThat(done.path("delivered").asLong()).as("replayed and delivered").isEqualTo(20);
            assertThat(sink.replayed()).as("ids delivered with sluicereplay").isEqualTo(after);
            assertThat(metric("sluice_trigger_replayed_total", "outcome=\"delivered\"")).isEqualTo(20.0);

            // send and tail: the tail follows the bus topic from when it starts, and sees what send posts
            Process tail = cli.start("tail", "default/shop/orders", "--count", "1", "-o", "json");
            try (BufferedReader err = new BufferedReader(new InputStreamReader(tail.getErrorStream(), StandardCharsets.UTF_8))) {
                assertThat(err.readLine()).as("tail says what it follows").startsWith("following default-shop-orders");
                SluiceCommand.Result send = cli.run("send", "default/shop/orders", "--data", "{\"amount\": 7}", "--id",
                        "sent-by-cli", "--type", "shop.order.created");
                assertThat(send.exit()).as(send.toString()).isZero();
                assertThat(send.out()).contains("sent sent-by-cli", "HTTP 202");
                assertThat(tail.waitFor(60, TimeUnit.SECONDS)).as("tail ends after one event").isTrue();
            }
            assertThat(tail.exitValue()).isZero();
            JsonNode tailed = JSON.readTree(SluiceCommand.read(tail.getInputStream()));
            assertThat(tailed.path("id").asText()).isEqualTo("sent-by-cli");
            assertThat(tailed.path("data").path("amount").asInt()).isEqualTo(7);
            await("the sent event is delivered").atMost(DELIVERED).until(() -> sink.taken().contains("sent-by-cli"));

            SluiceCommand.Result unknown = cli.run("replay", "default/nope", "--from", "5m");
            assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(1);
            assertThat(unknown.err().strip()).as("one clear line").doesNotContain("\n")
                    .startsWith("sluice: no running Trigger default/nope");
        }
    }

    @Test
    void redriveOfAHundredDeadLettersAfterTheSinkRecoversDeliversAllOfThem() throws Exception {
        try (SwitchableSink sink = SwitchableSink.start()) {
            sluice.start(ShopResources.write(sluice.resourcesDir(), "orders", "order", sink.uri(), """
                    deadLetterTopic: orders-dead
                    delivery: {retry: 0}
                    """));
            SluiceCommand cli = new SluiceCommand(sluice.uri("").toString(), sluice.resourcesDir().getParent());

            sink.breakIt();
            Set<String> orders = ids("order-", 100);
            post(orders);
            await("every order is refused and dead-lettered").atMost(DELIVERED).until(() -> {
                SluiceCommand.Result count = cli.run("deadletters", "count", "default/orders");
                return count.exit() == 0 && count.out().strip().equals("100");
            });
            assertThat(sink.refused()).as("ids the broken sink refused").isEqualTo(orders);

            SluiceCommand.Result list = cli.run("deadletters", "list", "default/orders", "--limit", "5", "-o", "json");
            assertThat(list.exit()).as(list.toString()).isZero();
            JsonNode letters = JSON.readTree(list.out());
            assertThat(letters.path("count").asLong()).isEqualTo(100);
            assertThat(letters.path("items")).hasSize(5).allSatisfy(letter -> {
                assertThat(orders).contains(letter.path("id").asText());
                assertThat(letter.path("errorCode").asInt()).isEqualTo(503);
                assertThat(letter.path("destination").asText()).isEqualTo(sink.uri().toString());
                assertThat(letter.path("subscriber").asInt()).isZero();
                assertThat(letter.path("dataExcerpt").asText()).contains("\"amount\"");
            });
            SluiceCommand.Result table = cli.run("deadletters", "list", "default/orders", "--limit", "3");
            assertThat(table.out()).as(table.toString()).contains("ID", "CODE", "503", "100 dead letters, the first 3 shown");

            sink.fix();
            SluiceCommand.Result redrive = cli.run("deadletters", "redrive", "default/orders", "-o", "json");
            assertThat(redrive.exit()).as(redrive.toString()).isZero();
            JsonNode outcome = JSON.readTree(redrive.out());
            assertThat(outcome.path("state").asText()).isEqualTo("done");
            assertThat(outcome.path("total").asLong()).isEqualTo(100);
            assertThat(outcome.path("delivered").asLong()).isEqualTo(100);
            assertThat(outcome.path("deadLetteredAgain").asLong()).isZero();
            assertThat(sink.redriven()).as("ids delivered by the redrive").isEqualTo(orders);
            assertThat(metric("sluice_trigger_redriven_total", "outcome=\"delivered\"")).isEqualTo(100.0);

            SluiceCommand.Result left = cli.run("deadletters", "count", "default/orders");
            assertThat(left.out().strip()).as("letters left after the redrive").isEqualTo("0");
            SluiceCommand.Result again = cli.run("deadletters", "redrive", "default/orders", "-o", "json");
            assertThat(JSON.readTree(again.out()).path("total").asLong()).as("a second redrive finds none").isZero();
        }
    }

    @Test
    void sluiceTestAnswersAsTheDocsSayOnTheirExamples() throws Exception {
        Path examples = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../kubernetes/examples");
        Path work = sluice.resourcesDir();
        Files.writeString(work.resolve("big.json"), event("o-big", "{\"id\": \"o-1\", \"amount\": 120}"));
        Files.writeString(work.resolve("small.json"), event("o-small", "{\"id\": \"o-2\", \"amount\": 20}"));
        Files.writeString(work.resolve("payment.json"), event("p-1", "{\"orderId\": \"o-1\"}"));
        SluiceCommand cli = new SluiceCommand("http://127.0.0.1:1", work);

        SluiceCommand.Result big = cli.run("test", "-f", examples.resolve("trigger-big-orders.yaml").toString(),
                "--event", "big.json", "--event", "small.json", "--expect", "o-big:0=true", "--expect", "o-big:1=true",
                "--expect", "o-small:0=false", "--expect", "o-small:1=true");
        assertThat(big.exit()).as(big.toString()).isZero();
        assertThat(big.out()).contains("condition order && event.data.amount > 100 = true", "all 4 expectations hold");

        SluiceCommand.Result pair = cli.run("test", "-f", examples.resolve("trigger-correlation.yaml").toString(),
                "--event", "order=big.json", "--event", "payment=payment.json", "--expect", "o-big:0=false",
                "--expect", "p-1:0=true");
        assertThat(pair.exit()).as(pair.toString()).isZero();

        SluiceCommand.Result wrong = cli.run("test", "-f", examples.resolve("trigger-big-orders.yaml").toString(),
                "--event", "small.json", "--expect", "0=true");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(1);
        assertThat(wrong.err().strip()).isEqualTo(
                "sluice: 1 of 1 expectations failed: subscriber 0 on event o-small is false, expected true");
    }

    /** The value of the one Prometheus sample of {@code name} whose labels include {@code label}. */
    private double metric(String name, String label) throws IOException, InterruptedException {
        return sluice.get("/q/metrics").body().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String event(String id, String data) {
        return """
                {"specversion": "1.0", "id": "%s", "source": "/shop", "type": "shop.order.created",
                 "datacontenttype": "application/json", "data": %s}
                """.formatted(id, data);
    }

    private static Set<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Posts each id as a binary-mode CloudEvent; every one must be taken with 202. */
    private void post(Set<String> ids) throws IOException, InterruptedException {
        URI ingress = sluice.ingress(ShopResources.NAMESPACE, ShopResources.EVENT_SOURCE, ShopResources.EVENT);
        for (String id : ids) {
            HttpResponse<String> response = sluice.client().send(HttpRequest.newBuilder(ingress)
                    .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/it")
                    .header("ce-type", "shop.order.created").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 150}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST of " + id + ": " + response.body()).isEqualTo(202);
        }
    }
}
