package dev.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;

class BusNamesTest {

    @ParameterizedTest
    @CsvSource({
            "default, shop,        orders,       default-shop-orders",
            "team-a,  b,           orders,       team--a-b-orders",
            "team,    a-b,         orders,       team-a--b-orders",
            "default, shop.v1,     orders,       default-shop_2ev1-orders",
            "default, shop,        order_paid,   default-shop-order_5fpaid",
            "default, shop,        -x-,          default-shop-_2dx_2d",
            "default, shop,        Bestellung,   default-shop-Bestellung",
            "default, shop,        grüße,        default-shop-gr_c3_bc_c3_9fe" })
    void keepsTheReadableFormAndEscapesTheRest(String namespace, String eventSource, String event, String topic) {
        assertThat(BusNames.topic(namespace, eventSource, event)).isEqualTo(topic);
        assertThat(BusNames.parts(topic)).contains(List.of(namespace, eventSource, event));
    }

    @Test
    void namesThatCollidedBeforeNoLongerDo() {
        assertThat(BusNames.topic("team-a", "b", "orders")).isNotEqualTo(BusNames.topic("team", "a-b", "orders"));
        assertThat(BusNames.triggerGroup("team-a", "b")).isNotEqualTo(BusNames.triggerGroup("team", "a-b"));
        assertThat(BusNames.subscriberGroup("team", "t", 0)).isEqualTo(BusNames.triggerGroup("team", "t"));
        assertThat(BusNames.subscriberGroup("team", "t", 1)).isNotEqualTo(BusNames.triggerGroup("team", "t-1"))
                .isNotEqualTo(BusNames.subscriberGroup("team", "t", 0));
        assertThat(BusNames.sourceGroup("team-a", "b", "e")).isNotEqualTo(BusNames.sourceGroup("team", "a-b", "e"));
        assertThat(BusNames.mqttClientId("team-a", "b", "e", Optional.empty()))
                .isNotEqualTo(BusNames.mqttClientId("team", "a-b", "e", Optional.empty()));
        assertThat(BusNames.cronLeaseTopic("team-a", "b", "e")).isNotEqualTo(BusNames.cronLeaseTopic("team", "a-b", "e"));
        assertThat(BusNames.parts(BusNames.cronLeaseTopic("team-a", "b", "e")))
                .as("five parts: never an event's three-part topic").contains(List.of("sluice", "cron", "team-a", "b", "e"));
        assertThat(BusNames.isSluiceGroup(BusNames.cronLeaseGroup("team", "b", "e"))).isTrue();
    }

    @Test
    void aSetOfTopicsHasOneFanOutGroupWhateverTheOrderAndNoOtherSetShares() {
        assertThat(BusNames.fanOutGroup(List.of("default-shop-orders"))).isEqualTo("sluice-fanout-default--shop--orders");
        assertThat(BusNames.fanOutGroup(List.of("b", "a"))).isEqualTo(BusNames.fanOutGroup(List.of("a", "b")));
        assertThat(BusNames.fanOutGroup(List.of("a-b", "c"))).isNotEqualTo(BusNames.fanOutGroup(List.of("a", "b-c")));
        String many = BusNames.fanOutGroup(java.util.stream.IntStream.range(0, 30).mapToObj(i -> "default-shop-event" + i)
                .toList());
        assertThat(many).startsWith("sluice-fanout-").hasSizeLessThanOrEqualTo(BusNames.MAX_LENGTH);
        assertThat(BusNames.isSluiceGroup(many)).isTrue();
    }

    @Test
    void everyNameOfManyTriplesIsDistinctValidAndReadsBack() {
        String[] pieces = { "a", "b", "a-b", "a--b", "-", "a.b", "a_b", "_2d", "a-", "-b", "x.y-z" };
        Map<String, List<String>> seen = new HashMap<>();
        for (String ns : pieces) {
            for (String es : pieces) {
                for (String event : pieces) {
                    List<String> triple = List.of(ns, es, event);
                    String topic = BusNames.topic(ns, es, event);
                    assertThat(topic).matches("[a-zA-Z0-9_-]{1,249}"); // no '.', so no '.'/'_' clash
                    assertThat(seen.put(topic, triple)).as(topic).isNull();
                    assertThat(BusNames.parts(topic)).as(topic).contains(triple);
                }
            }
        }
        assertThat(seen).hasSize(pieces.length * pieces.length * pieces.length);
    }

    @Test
    void namesTheMappingNeverMakesReadAsNothing() {
        assertThat(BusNames.parts("big-orders-dead")).contains(List.of("big", "orders", "dead"));
        assertThat(BusNames.parts("a---b")).isEmpty();
        assertThat(BusNames.parts("_61-b")).isEmpty(); // "a" is written a
        assertThat(BusNames.parts("a.b")).isEmpty();
        assertThat(BusNames.parts("a-")).isEmpty();
    }

    @Test
    void aNameOverKafkasLimitIsRefusedNamingTheField() {
        assertThatThrownBy(() -> BusNames.topic("default", "s".repeat(240), "orders", "spec.http.orders"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reasons.NAME_NOT_MAPPABLE);
                    assertThat(e.field()).isEqualTo("spec.http.orders");
                });
        assertThat(BusNames.topic("n", "s".repeat(245), "e")).hasSize(249);
    }

    @Test
    void sluiceGroupsAreRecognised() {
        assertThat(BusNames.isSluiceGroup(BusNames.triggerGroup("default", "t"))).isTrue();
        assertThat(BusNames.isSluiceGroup(BusNames.sourceGroup("default", "s", "e"))).isTrue();
        assertThat(BusNames.isSluiceGroup("my-app")).isFalse();
    }
}
