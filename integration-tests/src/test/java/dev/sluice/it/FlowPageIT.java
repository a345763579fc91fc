package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The flow page ({@code /ui}) of the packaged local mode in a real browser: Debian's chromium, headless, driven
 * through its chromedriver, on the README tour's resources. The page draws the EventSource, its topic, the Trigger,
 * its two subscribers and the dead-letter topic; events posted
 * while it is open move the Trigger's counts; a click on the Trigger lists the ids of exactly those events and
 * each subscriber's outcomes. It leaves a screenshot of that state in {@code target/flow-page.png}, the one
 * {@code docs/ui.png} is taken from.
 */
class FlowPageIT {

    private static final String TRIGGER = "Trigger/default/big-orders";
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final Path TOUR = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
            .resolve("../kubernetes/examples/local/shop.yaml");

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    private RecordingSink sink;
    private ChromeDriver browser;

    @BeforeEach
    void startSinkAndBrowser() throws Exception {
        sink = RecordingSink.start();
        ChromeOptions options = new ChromeOptions()
                .setBinary(executable("chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1440,900");
        // the driver Debian installs beside chromium; named here so that Selenium never looks one up on the network
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(executable("chromedriver")).toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowserAndSink() {
        if (browser != null) {
            browser.quit();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void countsMoveAndTheTriggerListsTheEventsJustSent() throws Exception {
        // the README tour's resources, with the event display's address replaced by the recording sink's
        // and no retry, so that an event the sink refuses is dead-lettered at once
        String tour = Files.readString(TOUR).replace("http://127.0.0.1:8080/display", sink.uri().toString())
                .replace("deadLetterTopic: big-orders-dead", "deadLetterTopic: big-orders-dead\n    delivery: {retry: 0}");
        assertThat(tour).contains(sink.uri().toString(), "delivery: {retry: 0}");
        Files.writeString(sluice.resourcesDir().resolve("shop.yaml"), tour);
        sluice.start("EventSource/default/shop", TRIGGER);
        browser.get(sluice.uri("/ui").toString());

        await("the page draws the flow and receives rates").atMost(UI_TIMEOUT).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
            assertThat(nodeIds()).containsExactlyInAnyOrder("EventSource/default/shop", "topic/default-shop-orders",
                    TRIGGER, TRIGGER + "/subscribers/0", TRIGGER + "/subscribers/0/deadletter",
                    TRIGGER + "/subscribers/1");
        });
        pointAt("EventSource/default/shop").perform();
        await("hovering a node shows its Ready condition").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(String.join("", texts("#tooltip:not([hidden])"))).isEqualTo("Ready=True · Ready"));
        pointAt(TRIGGER).click().perform();
        await("the Trigger's panel opens").atMost(UI_TIMEOUT)
                .untilAsserted(() -> assertThat(texts("#detail h2")).containsExactly("big-orders"));
        assertThat(total("received")).as("the Trigger's count before any event").isEqualTo("0");

        List<OrderEvent> orders = IntStream.range(0, 6).mapToObj(n -> OrderEvent.numbered("ui", n)).toList();
        for (OrderEvent order : orders) {
            HttpResponse<Void> answer = sluice.client().send(
                    order.binaryPost(sluice.ingress("default", "shop", "orders")), HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).as("answer to %s", order.id()).isEqualTo(202);
        }
        Set<String> big = orders.stream().filter(OrderEvent::isBig).map(OrderEvent::id).collect(Collectors.toSet());
        await("the big orders reach the sink").atMost(UI_TIMEOUT).until(() -> sink.missing(big).isEmpty());

        await("the Trigger's counts move on the page").atMost(UI_TIMEOUT).untilAsserted(() -> {
            assertThat(total("received")).isEqualTo("6");
            // three big orders for the sink, all six for the topic all-orders
            assertThat(total("matched")).isEqualTo("9");
            assertThat(total("delivered")).isEqualTo("9");
        });
        Set<String> sent = orders.stream().map(OrderEvent::id).collect(Collectors.toSet());
        await("the Trigger lists the ids of the events just sent").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(texts("#recent .event-id")).containsExactlyInAnyOrderElementsOf(sent));
        await("the subscriber's outcomes").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(String.join("", texts("#subscribers [data-subscriber='0']")))
                        .contains("matched 3", "delivered 3", "dead-lettered 0"));
        await("the dead-letter panel asks the management API").atMost(UI_TIMEOUT)
                .untilAsserted(() -> assertThat(String.join("", texts("#dead-letters"))).isEqualTo("No dead letters."));
        // the condition tester, prefilled with the last event the Trigger read, asks POST /tests
        browser.findElement(By.id("run-test")).click();
        await("the condition tester answers per subscriber").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(texts("#test-result tr:not(:first-child) td:nth-child(2)")).hasSize(2).last()
                        .as("subscriber 1, condition 'order'").isEqualTo("yes"));

        // the rates are per second: while events keep coming (one per poll), the Trigger's goes above 0
        int[] next = { orders.size() };
        Set<String> bigWhileFlowing = ConcurrentHashMap.newKeySet();
        await("the Trigger's rate shows events flowing").atMost(UI_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    OrderEvent order = OrderEvent.numbered("ui", next[0]++);
                    if (order.isBig()) {
                        bigWhileFlowing.add(order.id());
                    }
                    sluice.client().send(order.binaryPost(
                            sluice.ingress("default", "shop", "orders")), HttpResponse.BodyHandlers.discarding());
                    assertThat(String.join("", texts("#detail [data-measure='received'] .rate"))).isNotIn("", "0");
                });

        // a big order the sink refuses is dead-lettered; its Redrive button delivers it once the sink is back
        await("the big orders sent while the rate moved reach the sink").atMost(UI_TIMEOUT)
                .until(() -> sink.missing(bigWhileFlowing).isEmpty());
        sink.setDown(true);
        OrderEvent refused = OrderEvent.numbered("ui-dead", 0);
        assertThat(refused.isBig()).isTrue();
        assertThat(sluice.client().send(refused.binaryPost(sluice.ingress("default", "shop", "orders")),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(202);
        await("the refused order is dead-lettered").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(String.join("", texts("#subscribers [data-subscriber='0']"))).contains("dead-lettered 1"));
        sink.setDown(false);
        pointAt(TRIGGER).click().perform();
        await("the dead-letter panel lists it with a Redrive button").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#dead-letters button.redrive")))
                        .extracting(button -> button.getAttribute("data-id")).containsExactly(refused.id()));
        assertThat(sink.missing(Set.of(refused.id()))).containsExactly(refused.id());
        browser.findElement(By.cssSelector("#dead-letters button.redrive")).click();
        await("the redrive delivers it").atMost(UI_TIMEOUT).until(() -> sink.missing(Set.of(refused.id())).isEmpty());
        await("the page shows the redrive's state").atMost(UI_TIMEOUT).untilAsserted(() ->
                assertThat(browser.findElement(By.id("redrive-result")).getText()).startsWith("Redrive "));

        new Actions(browser).moveToElement(browser.findElement(By.tagName("h1"))).perform();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('detail').scrollTop = 0");
        Path shot = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/flow-page.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).as("screenshot %s", shot).isPositive();
    }

    @SuppressWarnings("unchecked")
    private List<String> nodeIds() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return cy.nodes().map(n => n.id())");
    }

    /** Moves the pointer onto the canvas where the graph library drew the node, as a person would. */
    private Actions pointAt(String id) {
        @SuppressWarnings("unchecked")
        List<Number> position = (List<Number>) ((JavascriptExecutor) browser).executeScript(
                "const p = cy.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y];", id);
        WebElement graph = browser.findElement(By.id("graph"));
        int dx = (int) Math.round(position.get(0).doubleValue() - graph.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(position.get(1).doubleValue() - graph.getSize().getHeight() / 2.0);
        return new Actions(browser).moveToElement(graph, dx, dy);
    }

    private String total(String measure) {
        return String.join("", texts("#detail [data-measure='" + measure + "'] .total"));
    }

    /** Read in one script: the panel is redrawn every second, so an element found a moment earlier may be gone. */
    @SuppressWarnings("unchecked")
    private List<String> texts(String css) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())", css);
    }

    private static String executable(String name) {
        return Path.of("/usr/bin", name).toString();
    }
}
