package io.meterbridge.client.internal;

import io.meterbridge.internal.BuildVersion;
import java.util.Optional;

/**
 * The {@code User-Agent} header:
 * {@code meterbridge-java/0.1.0 java/17.0.15 os/Linux [app/<id>] [suffix]}.
 */
final class UserAgent {
  /** The Meterbridge version, from the build. */
  public static final String VERSION = BuildVersion.VERSION;

  private UserAgent() {}

  /** The header value, with the caller's suffix at the end. */
  public static String of(Optional<String> suffix) {
    return of(suffix, Optional.empty());
  }

  /** The header value with {@code app/<id>} (as the AWS SDKs send it) before the suffix. */
  public static String of(Optional<String> suffix, Optional<String> appId) {
    String base = "meterbridge-java/" + VERSION + " java/" + token(System.getProperty("java.version"))
        + " os/" + token(System.getProperty("os.name"));
    if (appId.isPresent()) {
      base = base + " app/" + token(appId.get());
    }
    return suffix.isPresent() ? base + " " + suffix.get() : base;
  }

  private static String token(String value) {
    if (value == null) {
      return "unknown";
    }
    // [^A-Za-z0-9.!#$%&'*+^_`|~-] becomes _, without a regex (start-up cost).
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean keep = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
          || ".!#$%&'*+^_`|~-".indexOf(c) >= 0;
      sb.append(keep ? c : '_');
    }
    return sb.toString();
  }
}
