package io.meterbridge.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stored metering records as the admin API and RegisterUsage read them: pages of records in
 * storage order (keyset pagination on {@code seq}; a BatchMeterUsage record's place is its {@code
 * ref}, its call's seq and its slot there), registered tasks, and counts.
 */
final class MeteringRecords {
  private final Jdbc jdbc;

  MeteringRecords(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Call rows read at a time while filling a page of batch records. */
  private static final int CALLS_A_READ = 64;

  /*
   * The cursor is the last record's ref ("r" and the number; see RecordQuery#afterRef). Calls are
   * read in seq order and unpacked; the usage-time filter applies to each record, so a page may
   * take several reads when few records match.
   */
  Page<BatchRow> batchRecords(RecordQuery q) {
    long after = q.afterRef();
    long fromSeq = after / Tables.SLOTS;
    String sql = "SELECT " + Tables.BATCH_CALL.columns() + " FROM batch_call WHERE seq >= ?"
        + (q.productCode().isPresent() ? " AND product_id = (SELECT id FROM key_name WHERE name = ?)" : "")
        + " ORDER BY seq LIMIT " + CALLS_A_READ;
    long fromMillis = q.from().toEpochMilli();
    long toMillis = q.to().toEpochMilli();
    List<Line<BatchRow>> lines = new ArrayList<>();
    while (lines.size() <= q.limit()) {
      List<Tables.CallRow> calls = q.productCode().isPresent()
          ? jdbc.list(sql, rs -> Tables.BATCH_CALL.read(rs, 1), fromSeq, q.productCode().get())
          : jdbc.list(sql, rs -> Tables.BATCH_CALL.read(rs, 1), fromSeq);
      List<Line<CallRecords.Entry>> entries = new ArrayList<>();
      Map<Long, Tables.CallRow> callOf = new HashMap<>();
      for (Tables.CallRow call : calls) {
        callOf.put(call.seq(), call);
        List<CallRecords.Entry> records = new ArrayList<>(CallRecords.decode(call.records()));
        records.sort(java.util.Comparator.comparingInt(CallRecords.Entry::slot));
        for (CallRecords.Entry e : records) {
          long ref = call.seq() * Tables.SLOTS + e.slot();
          if (ref > after && e.usageMillis() >= fromMillis && e.usageMillis() < toMillis
              && entries.size() + lines.size() <= q.limit()) {
            entries.add(new Line<>(ref, e));
          }
        }
      }
      Map<Integer, String> names = names(calls, entries);
      for (Line<CallRecords.Entry> line : entries) {
        Tables.CallRow call = callOf.get(line.position() / Tables.SLOTS);
        lines.add(new Line<>(line.position(), row(call, line.row(), names)));
      }
      if (calls.size() < CALLS_A_READ) {
        break;
      }
      fromSeq = calls.get(calls.size() - 1).seq() + 1;
    }
    boolean more = lines.size() > q.limit();
    List<Line<BatchRow>> page = more ? lines.subList(0, q.limit()) : lines;
    return new Page<>(page.stream().map(Line::row).toList(),
        more ? RecordQuery.refCursor(page.get(page.size() - 1).position()) : null);
  }

  /** The names behind the ids a page of records uses. */
  private Map<Integer, String> names(List<Tables.CallRow> calls, List<Line<CallRecords.Entry>> entries) {
    Set<Integer> ids = new HashSet<>();
    calls.forEach(call -> ids.add(call.productId()));
    for (Line<CallRecords.Entry> line : entries) {
      ids.add(line.row().customerId());
      ids.add(line.row().dimensionId());
      if (line.row().licenseId() != 0) {
        ids.add(line.row().licenseId());
      }
    }
    Map<Integer, String> names = new HashMap<>();
    List<Integer> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += NAMES_A_READ) {
      List<Integer> chunk = all.subList(from, Math.min(all.size(), from + NAMES_A_READ));
      String sql = "SELECT id, name FROM key_name WHERE id IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      jdbc.list(sql, rs -> Map.entry(rs.getInt(1), rs.getString(2)), chunk.toArray())
          .forEach(e -> names.put(e.getKey(), e.getValue()));
    }
    return names;
  }

  private static final int NAMES_A_READ = 500;

  private static BatchRow row(Tables.CallRow call, CallRecords.Entry e, Map<Integer, String> names) {
    Instant at = Instant.ofEpochMilli(e.usageMillis());
    BatchRow.Key key = new BatchRow.Key(Require.epochHour(at), name(names, call.productId()),
        name(names, e.customerId()), name(names, e.dimensionId()));
    return new BatchRow(e.id(), key, at, e.quantity(), e.allocations(), e.fingerprint(),
        e.licenseId() == 0 ? Optional.empty() : Optional.of(name(names, e.licenseId())),
        call.callerAccountId(), call.receivedAt());
  }

  private static String name(Map<Integer, String> names, int id) {
    String name = names.get(id);
    if (name == null) {
      throw new StoreException("key_name has no name for id " + id + ", which a stored record uses");
    }
    return name;
  }

  Page<MeterRow> meterRecords(RecordQuery query) {
    return page(Tables.METER_USAGE, query);
  }

  /** A row and its place in storage order: a seq, or for batch records a ref. */
  private record Line<R>(long position, R row) {}

  private <R> Page<R> page(Table<R> table, RecordQuery q) {
    String sql = "SELECT seq, " + table.columns() + " FROM " + table.name()
        + " WHERE seq > ? AND usage_time >= ? AND usage_time < ?"
        + (q.productCode().isPresent() ? " AND product_code = ?" : "") + " ORDER BY seq LIMIT ?";
    List<Object> args = new ArrayList<>(List.of(q.afterSeq(), q.from().toEpochMilli(), q.to().toEpochMilli()));
    q.productCode().ifPresent(args::add);
    // One more than asked tells whether another page exists.
    args.add(q.limit() + 1);
    List<Line<R>> lines = jdbc.list(sql, rs -> new Line<>(rs.getLong(1), table.read(rs, 2)), args.toArray());
    boolean more = lines.size() > q.limit();
    List<Line<R>> page = more ? lines.subList(0, q.limit()) : lines;
    return new Page<>(page.stream().map(Line::row).toList(),
        more ? Long.toString(page.get(page.size() - 1).position()) : null);
  }

  /** The registration of a task for a product, if it ever registered ({@code first()} is false). */
  Optional<TaskRegistration> task(String callerIdentity, String productCode) {
    return jdbc.one("SELECT first_seen, last_seen, calls FROM task_registration "
        + "WHERE caller_identity = ? AND product_code = ?",
        rs -> new TaskRegistration(false, Instant.ofEpochMilli(rs.getLong(1)),
            Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3)),
        callerIdentity, productCode);
  }

  List<TaskRecord> tasks(String productCode) {
    return jdbc.select(Tables.TASK, "WHERE product_code = ? ORDER BY first_seen, caller_identity", productCode);
  }

  StoreCounts counts() {
    return jdbc.one("SELECT (SELECT COUNT(*) FROM account), (SELECT COUNT(*) FROM product), "
        + "(SELECT COUNT(*) FROM subscription), (SELECT COUNT(*) FROM batch_record), "
        + "(SELECT COUNT(*) FROM meter_usage), (SELECT COUNT(*) FROM task_registration)",
        rs -> new StoreCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6))).orElseThrow();
  }
}
