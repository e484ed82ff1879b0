package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Moves quantity into the next hour of the same key that can still take it: usage that arrives for a
 * record already closed or sent, and quantity above AWS's per-record maximum. The target is the
 * first later hour whose record is open or not there yet, and where the customer's hour goes upstream
 * the same way (by LicenseArn or by ProductCode). Runs inside the caller's transaction.
 */
final class Carrier {
  /** How far ahead to look for an hour that takes carried usage; past it something is badly wrong. */
  private static final int MAX_HOURS_AHEAD = 72;

  private final IngestStatements statements;
  private final UpstreamWindow window;

  Carrier(IngestStatements statements, UpstreamWindow window) {
    this.statements = statements;
    this.window = window;
  }

  /**
   * Adds {@code quantity} (from {@code events} events, {@code tagged} of it by tag set) to the next hour
   * after {@code key}'s that takes it, as carried-in quantity, through {@code sums}. Returns the id of
   * the record it went into.
   */
  long carry(Connection c, RecordSums sums, RecordKey key, long quantity, long events, Map<String, Long> tagged,
      long now) throws SQLException {
    for (int ahead = 1; ahead <= MAX_HOURS_AHEAD; ahead++) {
      long hour = key.hour() + ahead * UpstreamWindow.HOUR_MS;
      RecordKey target = key.atHour(hour);
      String inForce = statements.customerHours(c, List.of(target.customerHour()), List.of(key.licenseArn()))[0];
      if (!inForce.equals(key.licenseArn())) {
        continue; // that hour of the customer goes the other way upstream; AWS would bill both
      }
      long[] id = sums.add(c, List.of(new IngestStatements.Aggregate(target, quantity, events,
          quantity, !tagged.isEmpty(), window.deadline(hour))), now);
      if (id[0] >= 0) {
        addAllocations(c, id[0], tagged);
        return id[0];
      }
    }
    throw new GatewayException("no hour within " + MAX_HOURS_AHEAD + "h after " + Instant.ofEpochMilli(key.hour())
        + " takes usage carried from " + key);
  }

  /** Adds tagged quantities to a record's allocations. */
  static void addAllocations(Connection c, long recordId, Map<String, Long> tagged) throws SQLException {
    if (tagged.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO record_allocation (record_id, tags, quantity) "
        + "VALUES (?, ?, ?) ON CONFLICT (record_id, tags) DO UPDATE SET "
        + "quantity = record_allocation.quantity + excluded.quantity")) {
      for (Map.Entry<String, Long> e : tagged.entrySet()) {
        ps.setLong(1, recordId);
        ps.setString(2, e.getKey());
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
