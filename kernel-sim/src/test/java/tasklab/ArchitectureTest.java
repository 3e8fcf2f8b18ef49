package tasklab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point one way (DESIGN.md): only the notebook-facing lab package uses Tablesaw and XChart; the hardware depends on nothing above it. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("tasklab");
    }

    @Test
    void onlyLabUsesTablesawAndXchart() {
        noClasses().that().resideOutsideOfPackage("tasklab.lab..")
            .should().dependOnClassesThat().resideInAnyPackage("tech.tablesaw..", "org.knowm.xchart..")
            .allowEmptyShould(true).check(classes);
    }

    /** The simulator proper stays free of every notebook library: tables, charts and the JSON writer are the lab's. */
    @Test
    void theSimulatorCoreUsesNoNotebookLibraries() {
        noClasses().that().resideInAnyPackage("tasklab.machine..", "tasklab.mm..", "tasklab.kernel..", "tasklab.time..",
                "tasklab.program..", "tasklab.trace..")
            .should().dependOnClassesThat().resideInAnyPackage("tech.tablesaw..", "org.knowm.xchart..",
                "com.fasterxml.jackson..", "de.erichseifert.vectorgraphics2d..")
            .check(classes);
    }

    @Test
    void onlyLabUsesTheJsonLibrary() {
        noClasses().that().resideOutsideOfPackage("tasklab.lab..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
            .allowEmptyShould(true).check(classes);
    }

    @Test
    void machineDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("tasklab.machine..")
            .should().dependOnClassesThat().resideInAnyPackage("tasklab.mm..", "tasklab.kernel..", "tasklab.lab..",
                "tasklab.program..", "tasklab.trace..", "tasklab.time..")
            .check(classes);
    }

    @Test
    void timeAndTraceAreLeaves() {
        noClasses().that().resideInAnyPackage("tasklab.time..", "tasklab.trace..")
            .should().dependOnClassesThat().resideInAnyPackage("tasklab.mm..", "tasklab.kernel..", "tasklab.lab..",
                "tasklab.program..", "tasklab.machine..")
            .check(classes);
    }

    @Test
    void theSimulatorDoesNotReadTheWallClock() {
        noClasses().that().resideOutsideOfPackages("tasklab.lab..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .check(classes);
    }
}
