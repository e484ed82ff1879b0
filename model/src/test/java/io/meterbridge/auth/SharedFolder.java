package io.meterbridge.auth;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code /work/shared}-style reference data for tests. */
final class SharedFolder {

  private SharedFolder() {}

  /**
   * The shared folder: system property {@code meterbridge.shared} (set by surefire), else
   * {@code ../shared} next to the project root, which is the module directory's parent.
   */
  static Path root() {
    String property = System.getProperty("meterbridge.shared");
    Path path = property != null && !property.isBlank()
        ? Path.of(property)
        : Path.of("").toAbsolutePath().getParent().resolve("../shared");
    path = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("shared folder not found at " + path
          + "; set -Dmeterbridge.shared=<path>");
    }
    return path;
  }

  static Path sigV4Suites() {
    return root().resolve("reference/sigv4-test-suite");
  }
}
