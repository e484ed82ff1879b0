package io.meterbridge.gateway.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ingest on PostgreSQL, where several processes write at once: each statement covers the whole group
 * through arrays ({@code unnest}), so a group costs a few round trips, and the primary key on the
 * event key, the unique key of records and the customer-hour key decide every race. Rows go in key
 * order so that processes lock them in the same order.
 */
final class PostgresIngest implements IngestStatements {

  @Override
  public boolean insertDetectsDuplicates() {
    return true;
  }

  @Override
  public Map<EventKey, StoredEvent> findEvents(Connection c, List<ValidEvent> events) throws SQLException {
    int n = events.size();
    Long[] hi = new Long[n];
    Long[] lo = new Long[n];
    for (int i = 0; i < n; i++) {
      hi[i] = events.get(i).keyHi();
      lo[i] = events.get(i).keyLo();
    }
    Map<EventKey, StoredEvent> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT e.key_hi, e.key_lo, e.content, e.record_id "
        + "FROM unnest(?::int8[], ?::int8[]) AS k(key_hi, key_lo) JOIN usage_event e USING (key_hi, key_lo)")) {
      bind(c, ps, hi, lo);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new EventKey(rs.getLong(1), rs.getLong(2)), new StoredEvent(rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return found;
  }

  @Override
  public boolean insertEvents(Connection c, List<ValidEvent> events, long[] recordIds, long receivedAt)
      throws SQLException {
    int n = events.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int cmp = Long.compare(events.get(a).keyHi(), events.get(b).keyHi());
      return cmp != 0 ? cmp : Long.compare(events.get(a).keyLo(), events.get(b).keyLo());
    });
    Long[] hi = new Long[n];
    Long[] lo = new Long[n];
    Long[] content = new Long[n];
    Long[] record = new Long[n];
    Long[] time = new Long[n];
    Long[] quantity = new Long[n];
    Long[] received = new Long[n];
    for (int j = 0; j < n; j++) {
      int i = order[j];
      ValidEvent e = events.get(i);
      hi[j] = e.keyHi();
      lo[j] = e.keyLo();
      content[j] = e.content();
      record[j] = recordIds[i];
      time[j] = e.usageTime();
      quantity[j] = e.quantity();
      received[j] = receivedAt;
    }
    int inserted;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_event (key_hi, key_lo, content, record_id, "
        + "usage_time, quantity, received_at) SELECT * FROM unnest(?::int8[], ?::int8[], ?::int8[], ?::int8[], "
        + "?::int8[], ?::int8[], ?::int8[]) ON CONFLICT DO NOTHING")) {
      bind(c, ps, hi, lo, content, record, time, quantity, received);
      inserted = ps.executeUpdate();
    }
    return inserted == n;
  }

  @Override
  public long[] upsertRecords(Connection c, List<Aggregate> aggregates, long now) throws SQLException {
    int n = aggregates.size();
    Long[] hour = new Long[n];
    String[] product = new String[n];
    String[] customer = new String[n];
    String[] type = new String[n];
    String[] license = new String[n];
    String[] dimension = new String[n];
    Long[] quantity = new Long[n];
    Long[] events = new Long[n];
    Long[] carried = new Long[n];
    Integer[] tagged = new Integer[n];
    Long[] deadline = new Long[n];
    Map<RecordKey, Integer> position = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Aggregate a = aggregates.get(i);
      RecordKey k = a.key();
      position.put(k, i);
      hour[i] = k.hour();
      product[i] = k.productCode();
      customer[i] = k.customer();
      type[i] = k.customerType();
      license[i] = k.licenseArn();
      dimension[i] = k.dimension();
      quantity[i] = a.quantity();
      events[i] = a.events();
      carried[i] = a.carriedIn();
      tagged[i] = a.tagged() ? 1 : 0;
      deadline[i] = a.deadline();
    }
    long[] ids = new long[n];
    java.util.Arrays.fill(ids, -1);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_record AS r (hour, product_code, customer, "
        + "customer_type, license_arn, dimension, quantity, events, carried_in, tagged, deadline, state, created_at) "
        + "SELECT u.*, 'open', ? FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
        + "?::int8[], ?::int8[], ?::int8[], ?::int4[], ?::int8[]) AS u "
        + "ON CONFLICT (hour, product_code, customer, customer_type, license_arn, dimension) DO UPDATE SET "
        + "quantity = r.quantity + excluded.quantity, events = r.events + excluded.events, "
        + "carried_in = r.carried_in + excluded.carried_in, tagged = GREATEST(r.tagged, excluded.tagged) "
        + "WHERE r.state = 'open' "
        + "RETURNING r.id, r.hour, r.product_code, r.customer, r.customer_type, r.license_arn, r.dimension")) {
      ps.setLong(1, now);
      Object[][] columns = {hour, product, customer, type, license, dimension, quantity, events, carried, tagged,
          deadline};
      for (int i = 0; i < columns.length; i++) {
        ps.setArray(i + 2, array(c, columns[i]));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RecordKey k = new RecordKey(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7));
          ids[position.get(k)] = rs.getLong(1);
        }
      }
    }
    return ids;
  }

  @Override
  public String[] customerHours(Connection c, List<RecordKey.CustomerHour> hours, List<String> licenses)
      throws SQLException {
    int n = hours.size();
    Long[] hour = new Long[n];
    String[] product = new String[n];
    String[] customer = new String[n];
    String[] type = new String[n];
    String[] license = licenses.toArray(String[]::new);
    Map<RecordKey.CustomerHour, Integer> position = new HashMap<>();
    for (int i = 0; i < n; i++) {
      RecordKey.CustomerHour h = hours.get(i);
      position.put(h, i);
      hour[i] = h.hour();
      product[i] = h.productCode();
      customer[i] = h.customer();
      type[i] = h.customerType();
    }
    String[] inForce = new String[n];
    Set<Integer> open = new HashSet<>();
    for (int i = 0; i < n; i++) {
      open.add(i);
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_hour (hour, product_code, customer, "
        + "customer_type, license_arn) SELECT * FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::text[]) "
        + "ON CONFLICT DO NOTHING RETURNING hour, product_code, customer, customer_type, license_arn")) {
      bind(c, ps, hour, product, customer, type, license);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int i = position.get(new RecordKey.CustomerHour(rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getString(4)));
          inForce[i] = rs.getString(5);
          open.remove(i);
        }
      }
    }
    if (!open.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT h.hour, h.product_code, h.customer, h.customer_type, "
          + "h.license_arn FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[]) "
          + "AS k(hour, product_code, customer, customer_type) "
          + "JOIN customer_hour h USING (hour, product_code, customer, customer_type)")) {
        bind(c, ps, hour, product, customer, type);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int i = position.get(new RecordKey.CustomerHour(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4)));
            inForce[i] = rs.getString(5);
          }
        }
      }
    }
    return inForce;
  }

  private static void bind(Connection c, PreparedStatement ps, Object[]... columns) throws SQLException {
    for (int i = 0; i < columns.length; i++) {
      ps.setArray(i + 1, array(c, columns[i]));
    }
  }

  private static Array array(Connection c, Object[] column) throws SQLException {
    String type = column instanceof Long[] ? "int8" : column instanceof Integer[] ? "int4" : "text";
    return c.createArrayOf(type, column);
  }
}
