package io.meterbridge.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What differs between the databases on the metering write path: how a set of rows is inserted
 * while rows whose unique key is taken are skipped, and how the rows stored under a set of keys are
 * found. Both run on the writer thread, inside the group's transaction. Everything else (catalog,
 * reads, the group-commit algorithm) is the same SQL on both.
 */
interface Dialect {
  /**
   * The columns a find reads back into {@link Keys.Existing}: id, fingerprint, request fingerprint.
   * A batch record's are in its call's JSON, so its find reads where it is ({@code ref}) instead.
   */
  String BATCH_EXISTING = "ref, '', ''";
  String METER_EXISTING = "id, fingerprint, request_fingerprint";
  /** A token binding has no fingerprint of its own: only its token's request and record count. */
  String BOUND_EXISTING = "metering_record_id, '', request_fingerprint";

  /** Inserts {@code rows} into {@code table}, skipping any whose unique key exists; returns which were inserted. */
  <R> boolean[] insert(Connection c, Table<R> table, List<R> rows) throws SQLException;

  /**
   * The rows stored under {@code keys} in {@code key}'s table, each read back as {@code existing}
   * (one of the constants above); keys without a row are absent.
   */
  <K> Map<K, Keys.Existing> find(Connection c, Table<K> key, String existing, List<K> keys) throws SQLException;

  /**
   * {@code count} new {@code batch_call} seqs, ascending, for the calls of the group being written.
   * Runs in the group's transaction; a seq its group does not use (all its records were replays)
   * may be taken again (SQLite) or stay a gap (PostgreSQL).
   */
  long[] callSeqs(Connection c, int count) throws SQLException;

  /**
   * The {@code key_name} ids of {@code names} (distinct), adding the names that have none. Runs in
   * the group's transaction; the ids are certain only once it commits.
   */
  Map<String, Integer> internNames(Connection c, List<String> names) throws SQLException;

  /** Whether retrying the whole transaction may succeed (deadlock, serialization, busy, lost connection). */
  boolean isTransient(SQLException e);

  /**
   * Why the database cannot take work now, when {@code e} says it is unavailable rather than that
   * the work is wrong (a lost or refused connection, a full disk); empty otherwise. Such failures
   * become {@link StoreUnavailableException}s.
   */
  default java.util.Optional<String> unavailability(SQLException e) {
    return java.util.Optional.empty();
  }

  /**
   * Runs inside every catalog write's transaction, to tell other processes on the same database that
   * the catalog changed once it commits. SQLite: one process per database file, nothing to tell.
   */
  default void announceCatalogChange(Connection c) throws SQLException {}

  /**
   * Starts delivering other processes' catalog changes to {@code changed}; closing the result stops
   * it. SQLite: one process per database file, nothing to watch.
   */
  default AutoCloseable watchCatalog(Runnable changed) {
    return () -> {};
  }

  /**
   * Starts the database's own upkeep beside the metering writer; the store closes the result after
   * the writer. SQLite: WAL checkpoints on a thread of their own ({@link WalCheckpointer}).
   * PostgreSQL: nothing (the server checkpoints by itself).
   */
  default AutoCloseable startUpkeep(String name) {
    return () -> {};
  }

  /**
   * Makes the writer's commits durable after the fact, on the completion thread; null when each
   * commit is durable by itself. SQLite: {@link WalSync}. PostgreSQL: null ({@code
   * synchronous_commit=on}).
   */
  default GroupCommitter.CommitSync commitSync() {
    return null;
  }
}
