package io.meterbridge.gateway.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How a group's sums reach the records. On PostgreSQL each group adds to its records at once ({@link
 * #immediate}): several processes write, and the database's row locks order them. On SQLite, one
 * process owns the file and {@link DeferredSums} keeps open records' sums in memory, writing them
 * about once a second: a record updated by every group commit would rewrite its page in the WAL
 * every time.
 */
interface RecordSums {
  /**
   * Adds each aggregate to its record (created open if missing) while the record is open. The ids, in
   * order; -1 where the record exists and is no longer open.
   */
  long[] add(Connection c, List<IngestStatements.Aggregate> aggregates, long now) throws SQLException;

  /** The writer's transaction committed. */
  default void committed() {}

  /** The writer's transaction rolled back: forget what {@link #add} did in it. */
  default void rolledBack() {}

  /** Writes every pending sum, in the caller's transaction (before records close or are read). */
  default void flush(Connection c) throws SQLException {}

  /** Some records closed: forget which ones are known to be open. */
  default void closed() {}

  static RecordSums immediate(IngestStatements statements) {
    return statements::upsertRecords;
  }
}
