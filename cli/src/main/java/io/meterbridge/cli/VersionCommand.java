package io.meterbridge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meterbridge version}: the version of this build and of the Java runtime. */
@Command(name = "version", description = "Prints the version.", mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("meterbridge " + MeterbridgeCommand.version()
        + " (Java " + Runtime.version() + ", " + System.getProperty("java.vendor", "unknown vendor") + ")");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
