package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.Allocation;
import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.EventTrace;
import io.meterbridge.gateway.GatewayException;
import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.LedgerRecord;
import io.meterbridge.gateway.RecordPage;
import io.meterbridge.gateway.RecordQuery;
import io.meterbridge.gateway.RecordState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads of the ledger: records, where an event went, and the status. Blocking: not for event loops. */
final class Ledger {
  private static final String RECORD_COLUMNS = "id, product_code, customer, customer_type, license_arn, dimension, "
      + "hour, quantity, events, carried_in, carried_out, tagged, state, deadline, upstream_id, attempts, last_error, "
      + "sent_at";

  private final Database db;
  private final Catalog catalog;
  private final EventIndex index; // null on PostgreSQL
  private final Pacer pacer;
  private final GatewayClock clock;
  private final long alertBeforeMs;
  private final Runnable beforeRead;

  /** @param beforeRead brings the records up to date before a read (the SQLite writer's pending sums) */
  Ledger(Database db, Catalog catalog, EventIndex index, Pacer pacer, GatewayClock clock, long alertBeforeMs,
      Runnable beforeRead) {
    this.beforeRead = beforeRead;
    this.db = db;
    this.catalog = catalog;
    this.index = index;
    this.pacer = pacer;
    this.clock = clock;
    this.alertBeforeMs = alertBeforeMs;
  }

  RecordPage records(RecordQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + RECORD_COLUMNS + " FROM usage_record WHERE id > ?");
    List<Object> args = new ArrayList<>();
    args.add(q.after());
    q.productCode().ifPresent(p -> {
      sql.append(" AND product_code = ?");
      args.add(p);
    });
    q.customer().ifPresent(c -> {
      sql.append(" AND customer = ?");
      args.add(c);
    });
    q.from().ifPresent(f -> {
      sql.append(" AND hour >= ?");
      args.add(f.toEpochMilli());
    });
    q.to().ifPresent(t -> {
      sql.append(" AND hour < ?");
      args.add(t.toEpochMilli());
    });
    q.state().ifPresent(s -> {
      sql.append(" AND state = ?");
      args.add(s.wireName());
    });
    sql.append(" ORDER BY id LIMIT ?");
    beforeRead.run();
    args.add(q.limit() + 1); // one more tells whether another page exists
    return read(c -> {
      List<LedgerRecord> records = withAllocations(c, Database.query(c, sql.toString(), Ledger::record,
          args.toArray()));
      if (records.size() > q.limit()) {
        records = records.subList(0, q.limit());
        return new RecordPage(records, OptionalLong.of(records.get(records.size() - 1).id()));
      }
      return new RecordPage(records, OptionalLong.empty());
    });
  }

  Optional<LedgerRecord> record(long id) {
    beforeRead.run();
    return read(c -> withAllocations(c, Database.query(c, "SELECT " + RECORD_COLUMNS + " FROM usage_record WHERE id = ?",
        Ledger::record, id)).stream().findFirst());
  }

  /**
   * Where event {@code id} went. Ids are unique per product: without {@code productCode}, every
   * product is searched.
   *
   * @throws IllegalArgumentException if the id is an event of several products and none was named
   */
  Optional<EventTrace> event(String id, Optional<String> productCode) {
    List<String> products = productCode.map(List::of)
        .orElseGet(() -> catalog.all().stream().map(CatalogProduct::productCode).toList());
    List<EventTrace> found = new ArrayList<>();
    beforeRead.run();
    read(c -> {
      for (String product : products) {
        long[] key = Hashing.eventKey(product, id);
        List<Object[]> rows = index == null
            ? Database.query(c, "SELECT record_id, usage_time, quantity, received_at, key_lo FROM usage_event "
                + "WHERE key_hi = ? AND key_lo = ?", Ledger::eventRow, key[0], key[1])
            : bySeq(c, key);
        for (Object[] row : rows) {
          if ((Long) row[4] != key[1]) {
            continue;
          }
          LedgerRecord record = withAllocations(c, Database.query(c, "SELECT " + RECORD_COLUMNS
              + " FROM usage_record WHERE id = ?", Ledger::record, row[0])).get(0);
          long time = (Long) row[1];
          found.add(new EventTrace(id, product, Instant.ofEpochMilli(time), (Long) row[2],
              Instant.ofEpochMilli((Long) row[3]), Instant.ofEpochMilli(UpstreamWindow.hourOf(time)), record));
        }
      }
      return null;
    });
    if (found.size() > 1) {
      throw new IllegalArgumentException("event id '" + id + "' is used by products "
          + found.stream().map(EventTrace::productCode).toList() + "; name one with ?productCode=");
    }
    return found.stream().findFirst();
  }

  private List<Object[]> bySeq(Connection c, long[] key) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (long seq : index.candidates(key[0])) {
      rows.addAll(Database.query(c, "SELECT record_id, usage_time, quantity, received_at, key_lo FROM usage_event "
          + "WHERE seq = ?", Ledger::eventRow, seq));
    }
    return rows;
  }

  private static Object[] eventRow(ResultSet rs) throws SQLException {
    return new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
  }

  /**
   * Unsent records (open, closed or sending) whose deadline is within the alert window, oldest
   * deadline first, at most {@code limit}: the dashboard's deadlines at risk.
   */
  List<LedgerRecord> atRisk(int limit) {
    long until = clock.now() + alertBeforeMs;
    beforeRead.run();
    return read(c -> withAllocations(c, Database.query(c, "SELECT " + RECORD_COLUMNS + " FROM usage_record "
        + "WHERE state IN ('open', 'closed', 'sending') AND deadline <= ? ORDER BY deadline, id LIMIT ?",
        Ledger::record, until, limit)));
  }

  /** The latest records with an upstream error, newest first, at most {@code limit}. */
  List<LedgerRecord> lastErrors(int limit) {
    beforeRead.run();
    return read(c -> withAllocations(c, Database.query(c, "SELECT " + RECORD_COLUMNS + " FROM usage_record "
        + "WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT ?", Ledger::record, limit)));
  }

  GatewayStatus status() {
    long now = clock.now();
    Map<RecordState, Long> counts = new EnumMap<>(RecordState.class);
    for (RecordState s : RecordState.values()) {
      counts.put(s, 0L);
    }
    return read(c -> {
      for (Object[] row : Database.query(c, "SELECT state, COUNT(*) FROM usage_record GROUP BY state",
          rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
        RecordState.fromWireName((String) row[0]).ifPresent(s -> counts.put(s, (Long) row[1]));
      }
      // Open records are usually the current hours': their deadlines come after those of closed ones.
      Long oldest = null;
      for (String sql : List.of("SELECT MIN(deadline) FROM usage_record WHERE state IN ('closed', 'sending')",
          "SELECT MIN(deadline) FROM usage_record WHERE state = 'open'")) {
        List<Long> m = Database.query(c, sql, rs -> {
          long v = rs.getLong(1);
          return rs.wasNull() ? null : v;
        });
        if (!m.isEmpty() && m.get(0) != null) {
          oldest = oldest == null ? m.get(0) : Math.min(oldest, m.get(0));
        }
      }
      long alerts = Database.query(c, "SELECT COUNT(*) FROM usage_record WHERE state IN ('closed', 'sending') "
          + "AND deadline <= ?", rs -> rs.getLong(1), now + alertBeforeMs).get(0);
      return new GatewayStatus(Instant.ofEpochMilli(now), counts,
          Optional.ofNullable(oldest).map(Instant::ofEpochMilli), alerts, pacer.perSecond(), pacer.inUse());
    });
  }

  private <T> T read(Database.Work<T> work) {
    try (Connection c = db.readConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new GatewayException("reading the ledger failed: " + e.getMessage(), e);
    }
  }

  /** A record as read, before its allocations. */
  private record Row(LedgerRecord record, boolean tagged) {}

  private static Row record(ResultSet rs) throws SQLException {
    String customer = rs.getString(3);
    boolean byAccount = rs.getString(4).equals(RecordKey.ACCOUNT);
    String license = rs.getString(5);
    long sentAt = rs.getLong(18);
    boolean sent = !rs.wasNull();
    return new Row(new LedgerRecord(rs.getLong(1), rs.getString(2),
        byAccount ? Optional.of(customer) : Optional.empty(), byAccount ? Optional.empty() : Optional.of(customer),
        license.isEmpty() ? Optional.empty() : Optional.of(license), rs.getString(6),
        Instant.ofEpochMilli(rs.getLong(7)), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
        List.of(),
        RecordState.fromWireName(rs.getString(13)).orElseThrow(), Instant.ofEpochMilli(rs.getLong(14)),
        Optional.ofNullable(rs.getString(15)), rs.getInt(16), Optional.ofNullable(rs.getString(17)),
        sent ? Optional.of(Instant.ofEpochMilli(sentAt)) : Optional.empty()), rs.getInt(12) == 1);
  }

  private static List<LedgerRecord> withAllocations(Connection c, List<Row> rows) throws SQLException {
    List<LedgerRecord> out = new ArrayList<>(rows.size());
    for (Row row0 : rows) {
      LedgerRecord r = row0.record();
      if (!row0.tagged()) {
        out.add(r);
        continue;
      }
      List<Allocation> allocations = new ArrayList<>();
      long tagged = 0;
      for (Object[] row : Database.query(c, "SELECT tags, quantity FROM record_allocation WHERE record_id = ? "
          + "ORDER BY tags", rs -> new Object[] {rs.getString(1), rs.getLong(2)}, r.id())) {
        long q = (Long) row[1];
        if (q > 0) {
          allocations.add(new Allocation(q, Tags.parse((String) row[0])));
          tagged += q;
        }
      }
      if (r.quantity() > tagged) {
        allocations.add(new Allocation(r.quantity() - tagged, List.of()));
      }
      out.add(new LedgerRecord(r.id(), r.productCode(), r.customerAwsAccountId(), r.customerIdentifier(),
          r.licenseArn(), r.dimension(), r.hour(), r.quantity(), r.events(), r.carriedIn(), r.carriedOut(),
          allocations, r.state(), r.deadline(), r.meteringRecordId(), r.attempts(), r.lastError(), r.sentAt()));
    }
    return out;
  }
}
