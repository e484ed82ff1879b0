package io.meterbridge.gateway.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The dialect's part of an ingest group commit: the four statements whose best form differs between
 * an in-process SQLite file (plain prepared statements, the event-key index in memory) and a
 * PostgreSQL server shared by several processes (set-based statements over arrays, the database's
 * keys deciding every race). All run on the writer thread inside the group's transaction.
 */
interface IngestStatements {
  /** An event's 128-bit key. */
  record EventKey(long hi, long lo) {
    static EventKey of(ValidEvent e) {
      return new EventKey(e.keyHi(), e.keyLo());
    }
  }

  /** What the ledger holds under an event key. */
  record StoredEvent(long content, long recordId) {}

  /**
   * A record's share of a group: summed quantity and event count, the quantity that came from earlier
   * hours, whether any of it is tagged, and the record's deadline (for a new row).
   */
  record Aggregate(RecordKey key, long quantity, long events, long carriedIn, boolean tagged, long deadline) {}

  /**
   * Whether {@link #insertEvents} tells reliably when a key is stored already, so that the writer may
   * skip {@link #findEvents} and redo the group on the rare retry (PostgreSQL, where the lookup costs
   * a statement per group; SQLite looks up in memory).
   */
  default boolean insertDetectsDuplicates() {
    return false;
  }

  /** The stored events under the keys of {@code events}. */
  Map<EventKey, StoredEvent> findEvents(Connection c, List<ValidEvent> events) throws SQLException;

  /**
   * Stores events, each with its record. Returns false, having stored nothing it can keep, when one of
   * the keys is stored already (by another process since {@link #findEvents}, or at all when the
   * writer skipped it): the group must be rolled back and redone.
   */
  boolean insertEvents(Connection c, List<ValidEvent> events, long[] recordIds, long receivedAt) throws SQLException;

  /**
   * Adds each aggregate to its record, creating it open, but only while it is open. The id of each
   * record, in the order of {@code aggregates}; -1 where the record exists and is no longer open.
   */
  long[] upsertRecords(Connection c, List<Aggregate> aggregates, long now) throws SQLException;

  /**
   * Fixes the way each customer hour goes upstream: the first license given wins ({@code ""} for
   * ProductCode). Returns the license in force for each, in order.
   */
  String[] customerHours(Connection c, List<RecordKey.CustomerHour> hours, List<String> licenses)
      throws SQLException;

  /** The group's transaction committed (the SQLite index learns its events). */
  default void committed() {}

  /** The group's transaction was rolled back. */
  default void rolledBack() {}
}
