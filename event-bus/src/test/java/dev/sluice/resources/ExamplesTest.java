package dev.sluice.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.eventsource.EventSourceSpec;

/** Every example under kubernetes/examples is made of Sluice resources whose specs parse, so none goes stale. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "kubernetes", "examples");
    private final ResourceParser parser = new ResourceParser(new ObjectMapper());

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
            assertThat(yaml).as("examples under " + EXAMPLES.toAbsolutePath()).isNotEmpty();
            return yaml;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyDocumentIsAResourceWhoseSpecParses(Path file) throws IOException {
        List<ResourceParser.Parsed> parsed = parser.parse(Files.readString(file), file.toString());

        assertThat(parsed).isNotEmpty();
        assertThat(parsed).allSatisfy(p -> {
            assertThat(p.skipped()).as("skipped document").isNull();
            assertThat(p.resource().getSpec()).as(p.resource().key() + " spec").isNotNull();
            assertThat(p.resource().getStatus().condition(Condition.READY)).as(p.resource().key() + " parse error")
                    .isEmpty();
            if (p.resource().getSpec() instanceof EventSourceSpec spec) {
                assertThat(spec.getUnknownFields()).as(p.resource().key() + " unknown source types").isEmpty();
            }
        });
    }
}
