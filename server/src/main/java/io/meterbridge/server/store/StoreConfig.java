package io.meterbridge.server.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to open a {@link Store}: an embedded SQLite file under a data directory, or a PostgreSQL
 * database by JDBC URL; plus pool size and group-commit limits. Validated when built.
 *
 * <pre>{@code
 * Store s = Stores.open(StoreConfig.sqlite(Path.of("data")).build());
 * Store p = Stores.open(StoreConfig.postgres("jdbc:postgresql://db:5432/metering")
 *     .user("meter").password(secret).poolSize(16).build());
 * }</pre>
 */
public final class StoreConfig {
  /** Which database a config opens. */
  public enum Kind {
    SQLITE,
    POSTGRESQL
  }

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Kind kind;
  private final Path dataDir;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String schema;
  private final int poolSize;
  private final int maxGroupRows;
  private final int maxPendingWrites;

  private StoreConfig(Builder b) {
    this.kind = b.kind;
    this.dataDir = b.dataDir;
    this.jdbcUrl = b.jdbcUrl;
    this.user = b.user;
    this.password = b.password;
    this.schema = b.schema;
    this.poolSize = Require.positive(b.poolSize, "poolSize");
    this.maxGroupRows = Require.positive(b.maxGroupRows, "maxGroupRows");
    this.maxPendingWrites = Require.positive(b.maxPendingWrites, "maxPendingWrites");
    if (kind == Kind.SQLITE && (user != null || password != null || schema != null)) {
      throw new IllegalArgumentException("user, password and schema apply to PostgreSQL only");
    }
  }

  /** SQLite in {@code <dataDir>/meterbridge.db}; the directory is created if missing. */
  public static Builder sqlite(Path dataDir) {
    Builder b = new Builder(Kind.SQLITE);
    b.dataDir = Require.present(dataDir, "dataDir");
    return b;
  }

  /** PostgreSQL at a {@code jdbc:postgresql://} URL. */
  public static Builder postgres(String jdbcUrl) {
    Require.text(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: but was " + jdbcUrl);
    }
    Builder b = new Builder(Kind.POSTGRESQL);
    b.jdbcUrl = jdbcUrl;
    return b;
  }

  public Kind kind() {
    return kind;
  }

  /** The SQLite data directory; empty for PostgreSQL. */
  public Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /** The PostgreSQL JDBC URL; empty for SQLite. */
  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(jdbcUrl);
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The PostgreSQL schema to use (created by the migrations if missing); empty means the URL's default. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** Connections for reads and catalog writes (the group-commit writer has its own). */
  public int poolSize() {
    return poolSize;
  }

  /** The most records one group commit takes from the queue (a single larger request still goes whole). */
  public int maxGroupRows() {
    return maxGroupRows;
  }

  /** The most write requests waiting for the writer; beyond it writes fail with {@link StoreOverloadedException}. */
  public int maxPendingWrites() {
    return maxPendingWrites;
  }

  @Override
  public String toString() {
    return "StoreConfig[kind=" + kind + ", dataDir=" + dataDir + ", jdbcUrl=" + jdbcUrl + ", user=" + user
        + ", password=" + (password == null ? "none" : "***") + ", schema=" + schema
        + ", poolSize=" + poolSize + ", maxGroupRows=" + maxGroupRows
        + ", maxPendingWrites=" + maxPendingWrites + "]";
  }

  /** Builds a {@link StoreConfig}. Defaults: pool 8, groups of up to 4096 records, 16384 pending writes. */
  public static final class Builder {
    private final Kind kind;
    private Path dataDir;
    private String jdbcUrl;
    private String user;
    private String password;
    private String schema;
    private int poolSize = 8;
    private int maxGroupRows = 4096;
    private int maxPendingWrites = 16384;

    private Builder(Kind kind) {
      this.kind = kind;
    }

    public Builder user(String user) {
      this.user = Require.text(user, "user");
      return this;
    }

    public Builder password(String password) {
      this.password = Require.present(password, "password");
      return this;
    }

    /** A lower-case schema name, {@code [a-z_][a-z0-9_]*}. */
    public Builder schema(String schema) {
      Require.text(schema, "schema");
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must match " + SCHEMA + " but was " + schema);
      }
      this.schema = schema;
      return this;
    }

    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    public Builder maxGroupRows(int maxGroupRows) {
      this.maxGroupRows = maxGroupRows;
      return this;
    }

    public Builder maxPendingWrites(int maxPendingWrites) {
      this.maxPendingWrites = maxPendingWrites;
      return this;
    }

    public StoreConfig build() {
      return new StoreConfig(this);
    }
  }
}
