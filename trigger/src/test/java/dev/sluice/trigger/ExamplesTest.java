package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.trigger.Trigger;
import dev.sluice.resources.ResourceParser;
import dev.sluice.trigger.delivery.DeliveryPolicy;

/** The Trigger examples under kubernetes/examples parse and compile, and docs/triggers.md shows them unchanged. */
class ExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path EXAMPLES = ROOT.resolve("kubernetes/examples");
    private static final Path DOC = ROOT.resolve("docs/triggers.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> triggers = files.filter(f -> f.getFileName().toString().matches("trigger-.*\\.ya?ml")).sorted()
                    .toList();
            assertThat(triggers).hasSizeGreaterThanOrEqualTo(4);
            return triggers.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleParsesAndCompiles(Path file) throws IOException {
        List<ResourceParser.Parsed> parsed = new ResourceParser(new ObjectMapper())
                .parse(Files.readString(file), file.getFileName().toString());

        assertThat(parsed).isNotEmpty().allSatisfy(p -> {
            assertThat(p.resource()).as("%s", p.skipped()).isNotNull();
            assertThat(p.resource().getStatus().getConditions()).as("parse conditions").isEmpty();
        });
        List<Trigger> triggers = parsed.stream().map(ResourceParser.Parsed::resource)
                .filter(Trigger.class::isInstance).map(Trigger.class::cast).toList();
        assertThat(triggers).isNotEmpty();
        for (Trigger trigger : triggers) {
            TriggerPlan plan = TriggerPlan.of(trigger, DeliveryPolicy.DEFAULTS);
            assertThat(plan.subscribers()).hasSameSizeAs(trigger.getSpec().getSubscribers());
            assertThat(plan.inputsByTopic()).isNotEmpty();
        }
    }

    @Test
    void theDocShowsEveryExampleAsItIs() throws IOException {
        String doc = Files.readString(DOC);
        List<String> blocks = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(doc);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        List<String> files = new ArrayList<>();
        for (Path example : examples().toList()) {
            files.add(Files.readString(example));
            assertThat(doc).contains("`kubernetes/examples/" + example.getFileName() + "`");
        }

        assertThat(blocks).containsExactlyInAnyOrderElementsOf(files);
    }
}
