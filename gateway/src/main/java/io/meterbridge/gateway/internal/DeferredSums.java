package io.meterbridge.gateway.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The SQLite gateway's record sums, kept in memory between flushes. A group commit appends its events
 * (each naming its record) and adds their quantities here; {@link #flush} writes every pending sum
 * in one transaction and records the last event seq it covers ({@code sums-through}). After a
 * crash, the events past that seq are summed into their records again at start ({@link #recover}),
 * so what was lost from memory is rebuilt from what was durable.
 *
 * <p>Correct only because one thread (the ingest writer) does everything that reads or changes an
 * open record's sum: ingest, flushing, and closing (the sweeper hands closing to the writer, which
 * flushes first). A record this class believes open is open.
 */
final class DeferredSums implements RecordSums {
  static final String SUMS_THROUGH = "sums-through";

  private final IngestStatements statements;
  private final LongSupplier lastSeq;
  /** How many open records to remember; a record forgotten costs one upsert when it comes back. */
  private static final int MAX_KNOWN_OPEN = 100_000;

  // Known open records (least recently used forgotten first: a million open records must not fill
  // the heap), and the sums waiting to be written (id -> {quantity, events, carriedIn}).
  private final Map<RecordKey, Long> open = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<RecordKey, Long> eldest) {
      return size() > MAX_KNOWN_OPEN;
    }
  };
  private final Map<Long, long[]> pending = new HashMap<>();
  // What the current transaction added, merged in on commit.
  private final Map<RecordKey, Long> openInGroup = new HashMap<>();
  private final Map<Long, long[]> pendingInGroup = new HashMap<>();

  DeferredSums(IngestStatements statements, LongSupplier lastSeq) {
    this.statements = statements;
    this.lastSeq = lastSeq;
  }

  @Override
  public long[] add(Connection c, List<IngestStatements.Aggregate> aggregates, long now) throws SQLException {
    long[] ids = new long[aggregates.size()];
    List<IngestStatements.Aggregate> unknown = new ArrayList<>();
    List<Integer> unknownAt = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      RecordKey k = aggregates.get(i).key();
      Long id = openInGroup.containsKey(k) ? openInGroup.get(k) : open.get(k);
      if (id == null) {
        IngestStatements.Aggregate a = aggregates.get(i);
        // Created (or found open) with nothing added: every quantity goes through the pending sums.
        unknown.add(new IngestStatements.Aggregate(k, 0, 0, 0, a.tagged(), a.deadline()));
        unknownAt.add(i);
      } else {
        ids[i] = id;
      }
    }
    if (!unknown.isEmpty()) {
      long[] found = statements.upsertRecords(c, unknown, now);
      for (int j = 0; j < found.length; j++) {
        ids[unknownAt.get(j)] = found[j];
        if (found[j] >= 0) {
          openInGroup.put(unknown.get(j).key(), found[j]);
        }
      }
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= 0) {
        IngestStatements.Aggregate a = aggregates.get(i);
        long[] sum = pendingInGroup.computeIfAbsent(ids[i], id -> new long[3]);
        sum[0] = Math.addExact(sum[0], a.quantity());
        sum[1] += a.events();
        sum[2] = Math.addExact(sum[2], a.carriedIn());
      }
    }
    return ids;
  }

  @Override
  public void committed() {
    open.putAll(openInGroup);
    pendingInGroup.forEach((id, s) -> pending.merge(id, s, (x, y) -> new long[] {
        Math.addExact(x[0], y[0]), x[1] + y[1], Math.addExact(x[2], y[2])}));
    openInGroup.clear();
    pendingInGroup.clear();
  }

  @Override
  public void rolledBack() {
    openInGroup.clear();
    pendingInGroup.clear();
  }

  /** Writes the pending sums; the caller commits (and then calls {@link #committed()}). */
  @Override
  public void flush(Connection c) throws SQLException {
    if (!pending.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE usage_record SET quantity = quantity + ?, "
          + "events = events + ?, carried_in = carried_in + ? WHERE id = ?")) {
        for (Map.Entry<Long, long[]> e : pending.entrySet()) {
          ps.setLong(1, e.getValue()[0]);
          ps.setLong(2, e.getValue()[1]);
          ps.setLong(3, e.getValue()[2]);
          ps.setLong(4, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    Sweeper.upsertSetting(c, SUMS_THROUGH, Long.toString(lastSeq.getAsLong()));
  }

  /** The flush's transaction committed: nothing is pending any more. */
  void flushed() {
    pending.clear();
  }

  @Override
  public void closed() {
    open.clear();
  }

  /**
   * Adds the events past {@code sums-through} to their records: the sums a crash lost from memory.
   * Returns how many events that took.
   */
  static int recover(Connection c) throws SQLException {
    List<String> through = Database.query(c, "SELECT value FROM gateway_setting WHERE name = ?",
        rs -> rs.getString(1), SUMS_THROUGH);
    long from = through.isEmpty() ? 0 : Long.parseLong(through.get(0));
    List<long[]> sums = Database.query(c, "SELECT e.record_id, SUM(e.quantity), COUNT(*), "
        + "SUM(CASE WHEN e.usage_time < r.hour THEN e.quantity ELSE 0 END) FROM usage_event e "
        + "JOIN usage_record r ON r.id = e.record_id WHERE e.seq > ? GROUP BY e.record_id",
        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}, from);
    int events = 0;
    try (PreparedStatement ps = c.prepareStatement("UPDATE usage_record SET quantity = quantity + ?, "
        + "events = events + ?, carried_in = carried_in + ? WHERE id = ?")) {
      for (long[] s : sums) {
        ps.setLong(1, s[1]);
        ps.setLong(2, s[2]);
        ps.setLong(3, s[3]);
        ps.setLong(4, s[0]);
        ps.addBatch();
        events += (int) s[2];
      }
      ps.executeBatch();
    }
    long max = Database.query(c, "SELECT COALESCE(MAX(seq), 0) FROM usage_event", rs -> rs.getLong(1)).get(0);
    Sweeper.upsertSetting(c, SUMS_THROUGH, Long.toString(Math.max(max, from)));
    return events;
  }

  int pendingRecords() {
    return pending.size();
  }
}
