package io.meterbridge.gateway.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest on SQLite: events are appended with seqs this writer hands out (one process owns the file),
 * their keys indexed in memory ({@link EventIndex}); records and customer hours are upserted with
 * prepared statements, which in-process SQLite runs without round trips.
 */
final class SqliteIngest implements IngestStatements {
  private final EventIndex index;
  private long nextSeq;
  private final List<long[]> pending = new ArrayList<>(); // {keyHi, seq, receivedAt} of the open group

  SqliteIngest(Connection c, EventIndex index) throws SQLException {
    this.index = index;
    // Rebuild the key index from the table: it is the only index of the keys.
    long max = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, key_hi, received_at FROM usage_event ORDER BY seq")) {
      while (rs.next()) {
        long seq = rs.getLong(1);
        index.add(rs.getLong(2), seq, rs.getLong(3));
        max = seq;
      }
    }
    nextSeq = max + 1;
  }

  @Override
  public Map<EventKey, StoredEvent> findEvents(Connection c, List<ValidEvent> events) throws SQLException {
    Map<EventKey, StoredEvent> found = new HashMap<>();
    PreparedStatement ps = null;
    try {
      for (ValidEvent e : events) {
        List<Long> candidates = index.candidates(e.keyHi());
        for (long seq : candidates) {
          if (ps == null) {
            ps = c.prepareStatement("SELECT key_lo, content, record_id FROM usage_event WHERE seq = ?");
          }
          ps.setLong(1, seq);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(1) == e.keyLo()) {
              found.put(EventKey.of(e), new StoredEvent(rs.getLong(2), rs.getLong(3)));
            }
          }
        }
      }
    } finally {
      if (ps != null) {
        ps.close();
      }
    }
    return found;
  }

  @Override
  public boolean insertEvents(Connection c, List<ValidEvent> events, long[] recordIds, long receivedAt)
      throws SQLException {
    long seq = nextSeq;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_event (seq, key_hi, key_lo, content, "
        + "record_id, usage_time, quantity, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < events.size(); i++) {
        ValidEvent e = events.get(i);
        ps.setLong(1, seq);
        ps.setLong(2, e.keyHi());
        ps.setLong(3, e.keyLo());
        ps.setLong(4, e.content());
        ps.setLong(5, recordIds[i]);
        ps.setLong(6, e.usageTime());
        ps.setLong(7, e.quantity());
        ps.setLong(8, receivedAt);
        ps.addBatch();
        pending.add(new long[] {e.keyHi(), seq, receivedAt});
        seq++;
      }
      ps.executeBatch();
    }
    return true;
  }

  @Override
  public long[] upsertRecords(Connection c, List<Aggregate> aggregates, long now) throws SQLException {
    long[] ids = new long[aggregates.size()];
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_record (hour, product_code, customer, "
        + "customer_type, license_arn, dimension, quantity, events, carried_in, tagged, state, deadline, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) "
        + "ON CONFLICT (hour, product_code, customer, customer_type, license_arn, dimension) DO UPDATE SET "
        + "quantity = usage_record.quantity + excluded.quantity, events = usage_record.events + excluded.events, "
        + "carried_in = usage_record.carried_in + excluded.carried_in, "
        + "tagged = max(usage_record.tagged, excluded.tagged) "
        + "WHERE usage_record.state = 'open' RETURNING id")) {
      for (int i = 0; i < ids.length; i++) {
        Aggregate a = aggregates.get(i);
        RecordKey k = a.key();
        ps.setLong(1, k.hour());
        ps.setString(2, k.productCode());
        ps.setString(3, k.customer());
        ps.setString(4, k.customerType());
        ps.setString(5, k.licenseArn());
        ps.setString(6, k.dimension());
        ps.setLong(7, a.quantity());
        ps.setLong(8, a.events());
        ps.setLong(9, a.carriedIn());
        ps.setInt(10, a.tagged() ? 1 : 0);
        ps.setLong(11, a.deadline());
        ps.setLong(12, now);
        try (ResultSet rs = ps.executeQuery()) {
          ids[i] = rs.next() ? rs.getLong(1) : -1;
        }
      }
    }
    return ids;
  }

  @Override
  public String[] customerHours(Connection c, List<RecordKey.CustomerHour> hours, List<String> licenses)
      throws SQLException {
    String[] inForce = new String[hours.size()];
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO customer_hour (hour, product_code, customer, "
        + "customer_type, license_arn) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        PreparedStatement select = c.prepareStatement("SELECT license_arn FROM customer_hour "
            + "WHERE hour = ? AND product_code = ? AND customer = ? AND customer_type = ?")) {
      for (int i = 0; i < inForce.length; i++) {
        RecordKey.CustomerHour h = hours.get(i);
        insert.setLong(1, h.hour());
        insert.setString(2, h.productCode());
        insert.setString(3, h.customer());
        insert.setString(4, h.customerType());
        insert.setString(5, licenses.get(i));
        if (insert.executeUpdate() > 0) {
          inForce[i] = licenses.get(i);
          continue;
        }
        select.setLong(1, h.hour());
        select.setString(2, h.productCode());
        select.setString(3, h.customer());
        select.setString(4, h.customerType());
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          inForce[i] = rs.getString(1);
        }
      }
    }
    return inForce;
  }

  /** The seq of the last committed event. */
  long lastSeq() {
    return nextSeq - 1;
  }

  @Override
  public void committed() {
    for (long[] p : pending) {
      index.add(p[0], p[1], p[2]);
    }
    nextSeq += pending.size();
    pending.clear();
  }

  @Override
  public void rolledBack() {
    pending.clear();
  }
}
