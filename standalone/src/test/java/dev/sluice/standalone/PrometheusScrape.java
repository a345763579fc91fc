package dev.sluice.standalone;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /q/metrics}, read as Prometheus' text format. */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
    }

    static PrometheusScrape now() {
        return new PrometheusScrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * The sum of every series of {@code name} whose labels include {@code labels} (name, value, name, value...);
     * -1 when there is none, so that a missing series never passes for a zero.
     */
    double sum(String name, String... labels) {
        double total = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < labels.length; i += 2) {
                matches &= labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (matches) {
                total += sample.value();
                found = true;
            }
        }
        return found ? total : -1;
    }

    @Override
    public String toString() {
        return text.lines().filter(l -> l.startsWith("sluice_")).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
