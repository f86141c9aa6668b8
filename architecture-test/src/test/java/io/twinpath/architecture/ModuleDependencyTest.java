package io.twinpath.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Module dependencies point one way (docs/ARCHITECTURE.md): {@code core} and {@code hw} depend on
 * no other module, {@code secondary} on both, the apps on what they assemble and never on each
 * other, and no main code on the test-only modules ({@code test-support}, the modem simulator).
 */
@AnalyzeClasses(packages = Modules.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependencyTest {

  @ArchTest
  static final ArchRule MODULES_DEPEND_ONE_WAY =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("core")
          .definedBy(Modules.CORE)
          .layer("hw")
          .definedBy(Modules.HW)
          .layer("secondary")
          .definedBy(Modules.SECONDARY)
          .layer("host-agent")
          .definedBy(Modules.HOST)
          .layer("dongle-app")
          .definedBy(Modules.DONGLE)
          .layer("kura-bundle")
          .definedBy(Modules.KURA)
          .layer("modem-sim")
          .definedBy(Modules.MODEM_SIM)
          .layer("test-support")
          .definedBy(Modules.TEST_SUPPORT)
          .whereLayer("core")
          .mayOnlyBeAccessedByLayers("secondary", "host-agent", "dongle-app", "kura-bundle")
          .whereLayer("hw")
          .mayOnlyBeAccessedByLayers("secondary", "dongle-app", "kura-bundle")
          .whereLayer("secondary")
          .mayOnlyBeAccessedByLayers("dongle-app", "kura-bundle")
          .whereLayer("host-agent")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("dongle-app")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("kura-bundle")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("modem-sim")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("test-support")
          .mayOnlyBeAccessedByLayers("modem-sim");
}
