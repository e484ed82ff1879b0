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
}
