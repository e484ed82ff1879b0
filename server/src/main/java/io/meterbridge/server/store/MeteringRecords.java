package io.meterbridge.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored metering records as the admin API and RegisterUsage read them: pages of records in
 * storage order (keyset pagination on {@code seq}), registered tasks, and counts.
 */
final class MeteringRecords {
  private final Jdbc jdbc;

  MeteringRecords(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Page<BatchRow> batchRecords(RecordQuery query) {
    return page(Tables.BATCH_USAGE, query);
  }

  Page<MeterRow> meterRecords(RecordQuery query) {
    return page(Tables.METER_USAGE, query);
  }

  private record Line<R>(long seq, R row) {}

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
    return new Page<>(page.stream().map(Line::row).toList(), more ? Long.toString(page.get(page.size() - 1).seq()) : null);
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
        + "(SELECT COUNT(*) FROM subscription), (SELECT COUNT(*) FROM batch_usage), "
        + "(SELECT COUNT(*) FROM meter_usage), (SELECT COUNT(*) FROM task_registration)",
        rs -> new StoreCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6))).orElseThrow();
  }
}
