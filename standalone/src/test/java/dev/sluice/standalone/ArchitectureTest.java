package dev.sluice.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;

/**
 * The arrows of docs/architecture.md, checked on the compiled main classes of every module (this module's classpath
 * is the only one that holds them all): api ← core ← event-bus ← event-source, trigger; the embedded broker only in
 * the local mode; no package cycle.
 */
class ArchitectureTest {
    private static final String[] CORE = { "dev.sluice.resources..", "dev.sluice.sink..", "dev.sluice.config..",
            "dev.sluice.cloudevents..", "dev.sluice.tracing..", "dev.sluice.concurrent..", "dev.sluice.local..",
            "dev.sluice.flow.." };
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ArchitectureTest::isMainCode).importPackages("dev.sluice");
    }

    /**
     * Test classes and test-jars (fakes, fixtures) are not part of the layering, nor is the ANTLR runtime relocated
     * into the cesql module, which is third-party code.
     */
    private static boolean isMainCode(Location location) {
        return !location.contains("/test-classes/") && !location.contains("dev/sluice/cesql/antlr/") && !location.matches(Pattern.compile(".*-tests\\.jar.*"));
    }

    @Test
    void noPackageDependsOnAPackageThatDependsOnItBack() {
        slices().matching("dev.sluice.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theApiImportsNothingElseOfSluice() {
        noClasses().that().resideInAPackage("dev.sluice.api..").should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.sluice.api..", "java..", "jakarta..", "com.fasterxml..", "io.fabric8..",
                        "io.quarkus.runtime.annotations..", "io.sundr..")
                .check(main);
    }

    @Test
    void theCoreRuntimeKnowsNoBusSourceOrTrigger() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.bus..", "dev.sluice.source..", "dev.sluice.trigger..",
                        "dev.sluice.api.eventsource..", "dev.sluice.api.trigger..", "dev.sluice.embedded..",
                        "dev.sluice.standalone..")
                .check(main);
    }

    @Test
    void theBusImportsNoSourceOrTriggerSpecAndNoService() {
        noClasses().that().resideInAPackage("dev.sluice.bus..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.api.eventsource..", "dev.sluice.api.trigger..", "dev.sluice.source..",
                        "dev.sluice.trigger..", "dev.sluice.embedded..", "dev.sluice.standalone..")
                .check(main);
    }

    @Test
    void theFlowPageKnowsNoServiceAndNoServiceKnowsIt() {
        noClasses().that().resideInAPackage("dev.sluice.ui..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.source..", "dev.sluice.trigger..", "dev.sluice.embedded..",
                        "dev.sluice.standalone..")
                .check(main);
        noClasses().that().resideOutsideOfPackage("dev.sluice.ui..").should().dependOnClassesThat()
                .resideInAPackage("dev.sluice.ui..").check(main);
    }

    @Test
    void theServicesDoNotKnowEachOtherOrTheEmbeddedBroker() {
        noClasses().that().resideInAPackage("dev.sluice.source..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.trigger..", "dev.sluice.embedded..", "dev.sluice.standalone..")
                .check(main);
        noClasses().that().resideInAPackage("dev.sluice.trigger..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.source..", "dev.sluice.embedded..", "dev.sluice.standalone..")
                .check(main);
    }
}
