package io.meterbridge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What each module may import, checked on the compiled classes of all seven modules (this module
 * depends on each of them, so every one is on its class path). The package roots below are the
 * modules; the first rule keeps that mapping complete. {@code model} and {@code client} also carry
 * module descriptors, which stop code outside Meterbridge from reaching their internals; these
 * rules cover our own modules, which run on the class path.
 */
@AnalyzeClasses(packages = "io.meterbridge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  static final String[] MODEL = {"io.meterbridge.model..", "io.meterbridge.auth..",
      "io.meterbridge.exception..", "io.meterbridge.internal.."};
  static final String CLIENT = "io.meterbridge.client..";
  static final String SERVER = "io.meterbridge.server..";
  static final String GATEWAY = "io.meterbridge.gateway..";
  static final String CLI = "io.meterbridge.cli..";
  static final String BENCH = "io.meterbridge.bench..";
  static final String UI = "io.meterbridge.ui..";
  static final String JUNIT5 = "io.meterbridge.junit5..";

  @ArchTest
  static final ArchRule everyClass_belongsToAModule = classes()
      .should().resideInAnyPackage(concat(MODEL, CLIENT, SERVER, GATEWAY, CLI, BENCH, UI, JUNIT5))
      .because("the rules below know the modules by their packages");

  @ArchTest
  static final ArchRule model_dependsOnNoOtherModule = noClasses()
      .that().resideInAnyPackage(MODEL)
      .should().dependOnClassesThat().resideInAnyPackage(CLIENT, SERVER, GATEWAY, CLI, BENCH, JUNIT5)
      .because("the model is the wire contract that the client and the server share");

  @ArchTest
  static final ArchRule client_dependsOnNothingOfTheServer = noClasses()
      .that().resideInAPackage(CLIENT)
      .should().dependOnClassesThat().resideInAnyPackage(SERVER, GATEWAY, CLI, BENCH, JUNIT5)
      .because("a seller's application gets the client with the model and jackson-core, nothing more");

  @ArchTest
  static final ArchRule gateway_dependsOnTheClientsApiNotTheServer = noClasses()
      .that().resideInAPackage(GATEWAY)
      .should().dependOnClassesThat().resideInAnyPackage(SERVER, CLI, BENCH, JUNIT5)
      .because("the gateway forwards through the client's public API to any Metering endpoint, ours or AWS's, "
          + "draws its dashboard with the shared ui module (allowed), "
          + "and embeds in a seller's JVM without the server");

  @ArchTest
  static final ArchRule ui_dependsOnNoOtherModule = noClasses()
      .that().resideInAPackage(UI)
      .should().dependOnClassesThat().resideInAnyPackage(concat(MODEL, CLIENT, SERVER, GATEWAY, CLI, BENCH, JUNIT5))
      .because("the server's and the gateway's dashboards share it; it knows HTML, not Meterbridge");

  @ArchTest
  static final ArchRule junit5_dependsOnTheServerAndTheClientsApi_notTheCommandLine = noClasses()
      .that().resideInAPackage(JUNIT5)
      .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, CLI, BENCH, "io.meterbridge.internal..")
      .because("a seller's tests get the embedded server and the client without the 16 MB command-line jar");

  @ArchTest
  static final ArchRule nothingButTests_dependsOnTheJunit5Extension = noClasses()
      .that().resideOutsideOfPackage(JUNIT5)
      .should().dependOnClassesThat().resideInAPackage(JUNIT5)
      .because("the extension is a test library: no module ships it in its runtime");

  @ArchTest
  static final ArchRule clientInternals_areUsedByTheClientAlone = noClasses()
      .that().resideOutsideOfPackage(CLIENT)
      .should().dependOnClassesThat().resideInAPackage("io.meterbridge.client.internal..")
      .because("the call engine and the transports are not API: use MeteringClient, Transport and "
          + "the other types of io.meterbridge.client");

  @ArchTest
  static final ArchRule modelInternals_areUsedByMeterbridgesModulesBehindTheirApi = noClasses()
      .that().resideOutsideOfPackages(concat(MODEL, "io.meterbridge.client.internal..", SERVER, CLI, BENCH))
      .should().dependOnClassesThat().resideInAPackage("io.meterbridge.internal..")
      .because("the JSON codec and the build version are not API; the client's API packages reach "
          + "them only through client.internal");

  private static String[] concat(String[] first, String... rest) {
    String[] all = new String[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
