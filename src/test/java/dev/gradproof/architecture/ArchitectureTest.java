package dev.gradproof.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * The packages follow the data: api at the bottom (the JDK only), then expr, spec, network, oracle,
 * compare, report; around them the zoo, training, benchmarks and the run of a spec; on top the edges
 * (cli, junit, jqwik, allure, plots). No package cycle, and no test framework, reporter, command-line or
 * chart library in the core.
 */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gradproof");

    static final ArchRule NO_CYCLES = slices().matching("dev.gradproof.(**)").should().beFreeOfCycles();

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Api").definedBy("dev.gradproof.api..")
            .layer("Expr").definedBy("dev.gradproof.expr..")
            .layer("Spec").definedBy("dev.gradproof.spec..")
            .layer("Network").definedBy("dev.gradproof.network..")
            .layer("Oracle").definedBy("dev.gradproof.oracle..")
            .layer("Compare").definedBy("dev.gradproof.compare..")
            .layer("Report").definedBy("dev.gradproof.report")
            .layer("External").definedBy("dev.gradproof.external..")
            .layer("Plot").definedBy("dev.gradproof.report.plot..")
            .layer("Zoo").definedBy("dev.gradproof.mutants..")
            .layer("Run").definedBy("dev.gradproof.run..")
            .layer("Train").definedBy("dev.gradproof.train..")
            .layer("Bench").definedBy("dev.gradproof.bench..")
            .layer("Jqwik").definedBy("dev.gradproof.jqwik..")
            .layer("Junit").definedBy("dev.gradproof.junit..")
            .layer("Allure").definedBy("dev.gradproof.allure..")
            .layer("Cli").definedBy("dev.gradproof.cli..")
            .whereLayer("Api").mayNotAccessAnyLayer()
            .whereLayer("Expr").mayNotAccessAnyLayer()
            .whereLayer("Spec").mayOnlyAccessLayers("Api", "Expr")
            .whereLayer("Network").mayOnlyAccessLayers("Api", "Expr", "Spec")
            .whereLayer("Oracle").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network")
            .whereLayer("Compare").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle")
            .whereLayer("Report").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare")
            .whereLayer("External").mayOnlyAccessLayers("Api")
            .whereLayer("Plot").mayOnlyAccessLayers("Api", "Spec", "Network", "Compare", "Report")
            .whereLayer("Zoo").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare")
            .whereLayer("Run").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare", "Report",
                    "External", "Zoo")
            .whereLayer("Train").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare", "Report",
                    "Plot", "Zoo")
            .whereLayer("Bench").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare", "Report",
                    "External", "Zoo", "Run")
            .whereLayer("Jqwik").mayOnlyAccessLayers("Api", "Spec", "Network")
            .whereLayer("Junit").mayOnlyAccessLayers("Api", "Expr", "Spec", "Network", "Oracle", "Compare", "Report",
                    "Run", "Jqwik")
            .whereLayer("Allure").mayOnlyAccessLayers("Api", "Spec", "Network", "Compare", "Report", "Plot", "Run")
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer();

    static final ArchRule API_USES_THE_JDK_ONLY = noClasses().that().resideInAPackage("dev.gradproof.api..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.gradproof.api..", "org.apiguardian..");

    static final ArchRule CORE_WITHOUT_FRAMEWORKS = noClasses().that().resideInAnyPackage("dev.gradproof.api..",
                    "dev.gradproof.expr..", "dev.gradproof.spec..", "dev.gradproof.network..", "dev.gradproof.oracle..",
                    "dev.gradproof.compare..", "dev.gradproof.report", "dev.gradproof.run..", "dev.gradproof.external..",
                    "dev.gradproof.mutants..")
            .should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.opentest4j..", "net.jqwik..",
                    "io.qameta..", "picocli..", "org.knowm..", "de.erichseifert..", "java.awt..");

    /** Guards the guards: a wrong package name would import nothing and every rule would pass vacuously. */
    @Test
    void theRulesSeeTheWholeCodeBase() {
        assertTrue(MAIN.size() > 250, () -> "imported only " + MAIN.size() + " classes");
        for (String pkg : new String[] {"api", "spec", "network.graph", "oracle.graph", "compare", "report", "cli"}) {
            assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().equals("dev.gradproof." + pkg)), pkg);
        }
    }

    static final ArchRule EVERY_PUBLIC_TYPE_SAYS_WHETHER_IT_IS_STABLE = classes().that().arePublic()
            .and().areTopLevelClasses().and().resideInAPackage("dev.gradproof..")
            .should().beAnnotatedWith(API.class);

    /** What users may rely on lives where they import from. */
    static final ArchRule STABLE_TYPES_ARE_IN_THE_USER_PACKAGES = classes().that(
                    DescribedPredicate.describe("are @API(status = STABLE)", (JavaClass c) -> c.isAnnotatedWith(API.class)
                            && c.getAnnotationOfType(API.class).status() == API.Status.STABLE))
            .should().resideInAnyPackage("dev.gradproof.api", "dev.gradproof.junit", "dev.gradproof.jqwik");

    @Test
    void everyPublicTypeIsMarkedStableExperimentalOrInternal() {
        EVERY_PUBLIC_TYPE_SAYS_WHETHER_IT_IS_STABLE.check(MAIN);
        STABLE_TYPES_ARE_IN_THE_USER_PACKAGES.check(MAIN);
    }

    @Test
    void packagesFormNoCycle() {
        NO_CYCLES.check(MAIN);
    }

    @Test
    void packagesFollowTheDataInLayers() {
        LAYERS.check(MAIN);
    }

    @Test
    void apiImportsNothingButTheJdk() {
        API_USES_THE_JDK_ONLY.check(MAIN);
    }

    @Test
    void theCoreImportsNoTestFrameworkReporterCommandLineOrChartLibrary() {
        CORE_WITHOUT_FRAMEWORKS.check(MAIN);
    }

    /** The test of the test: the cycle rule fails on a deliberate cycle, naming both packages. */
    @Test
    void theCycleRuleFailsOnAnInjectedCycle() {
        JavaClasses cyclic = new ClassFileImporter().importPackages("dev.gradproof.architecture.cycle");
        ArchRule rule = slices().matching("dev.gradproof.architecture.(**)").should().beFreeOfCycles();
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(cyclic));
        assertTrue(e.getMessage().contains("cycle.a") && e.getMessage().contains("cycle.b"), e.getMessage());
    }
}
