package io.meterbridge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version of this build, for the client's User-Agent and the CLI's banner. Not API:
 * it lives in the model because every module has the model on its class path.
 */
public final class BuildVersion {
  /** The version, such as {@code 0.1.0}, or {@code unknown} when the build left no record of it. */
  public static final String VERSION = load();

  private BuildVersion() {}

  private static String load() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
