package io.meterbridge.server.store;

/** Opens a {@link Store}: migrates the schema to the current version, then starts the writer. */
public final class Stores {
  private Stores() {}

  /**
   * Opens the store {@code config} describes.
   *
   * @throws StoreException if the database cannot be reached or migrated
   */
  public static Store open(StoreConfig config) {
    Require.present(config, "config");
    return switch (config.kind()) {
      case SQLITE -> SqliteDialect.open(config);
      case POSTGRESQL -> PostgresDialect.open(config);
    };
  }

  /**
   * Why a file operation failed, in words: the JDK's exceptions for a denied or missing path carry
   * only the path as their message, which loses the reason.
   */
  static String reason(java.io.IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      String reason = f.getReason();
      return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * The database's own words for a failure: the message of the innermost {@link java.sql.SQLException},
   * without the pool's and the migration library's wrappers (class names, Flyway's error block) that
   * repeat it.
   */
  static String databaseReason(Throwable e) {
    String reason = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.sql.SQLException && t.getMessage() != null) {
        reason = t.getMessage();
      }
    }
    if (reason == null) {
      Throwable innermost = e;
      while (innermost.getCause() != null && innermost.getCause() != innermost) {
        innermost = innermost.getCause();
      }
      reason = String.valueOf(innermost.getMessage());
    }
    return reason.strip();
  }
}
