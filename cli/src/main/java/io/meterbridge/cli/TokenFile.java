package io.meterbridge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret read from a file ({@code --admin-token-file}), so that it never appears in the process
 * list as a flag would. The contents are trimmed: editors and {@code echo} add a final newline.
 */
final class TokenFile {
  private TokenFile() {}

  /** The trimmed contents of {@code file} (relative to {@code workingDir}); a message naming the flag if unusable. */
  static String read(String flag, Path workingDir, String file) throws Unusable {
    Path path = workingDir.resolve(file);
    String token;
    try {
      token = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new Unusable(flag + ": cannot read " + path + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); give a readable file holding the token");
    }
    if (token.isEmpty()) {
      throw new Unusable(flag + ": " + path + " is empty; write the token into it");
    }
    return token;
  }

  /** The warning for a secret given as a flag. */
  static String visibleWarning(String flag, String variable) {
    return "warning: " + flag + " is visible to every user of this machine (ps); give it through the variable "
        + variable + " or " + flag + "-file FILE instead";
  }

  /** A token file that cannot be used; the message says why and what to do. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message, null, false, false);
    }
  }
}
