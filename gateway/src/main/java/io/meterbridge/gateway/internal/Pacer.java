package io.meterbridge.gateway.internal;

import java.sql.ResultSet;
import java.util.List;

/**
 * Paces BatchMeterUsage calls to the account's quota, shared by every process on the database: a
 * GCRA cell in the {@code quota} row, where {@code tat} is the earliest start of the next call.
 * Reserving a call moves it on by one interval in one statement, so processes never hand out the
 * same slot; the caller then sleeps until its slot. No burst: a backlog goes out at exactly the quota,
 * which AWS's own bucket (burst equal to the rate) always admits. A throttling answer pushes {@code
 * tat} a second ahead for everyone. Slots use the real clock: time travel never changes the pace.
 */
final class Pacer {
  private static final long WINDOW_MS = 10_000;
  private static final long THROTTLE_PENALTY_MS = 1_000;

  private final Database db;
  private final String account;
  private final double perSecond;
  private final long intervalMicros;
  private final GatewayClock clock;

  Pacer(Database db, String account, double perSecond, GatewayClock clock) {
    this.db = db;
    this.account = account;
    this.perSecond = perSecond;
    this.intervalMicros = Math.max(1, Math.round(1_000_000 / perSecond));
    this.clock = clock;
    db.inTransaction("create the quota row", c -> Database.update(c, "INSERT INTO quota (account, tat, window_start, "
        + "window_calls, previous_calls) VALUES (?, 0, 0, 0, 0) ON CONFLICT (account) DO NOTHING", account));
  }

  double perSecond() {
    return perSecond;
  }

  private String max() {
    return db.sqlite() ? "MAX" : "GREATEST";
  }

  /** Reserves the next call slot of the account and sleeps until it starts. */
  void acquire() throws InterruptedException {
    // tat is kept in microseconds: 1/perSecond is rarely a whole number of milliseconds.
    long now = clock.realNow();
    long nowMicros = now * 1000;
    long tat = db.inTransaction("reserve a call slot", c -> Database.query(c, "UPDATE quota SET "
        + "previous_calls = CASE WHEN ? >= window_start + " + 2 * WINDOW_MS + " THEN 0 "
        + "WHEN ? >= window_start + " + WINDOW_MS + " THEN window_calls ELSE previous_calls END, "
        + "window_calls = CASE WHEN ? >= window_start + " + WINDOW_MS + " THEN 1 ELSE window_calls + 1 END, "
        + "window_start = CASE WHEN ? >= window_start + " + WINDOW_MS + " THEN ? ELSE window_start END, "
        + "tat = " + max() + "(tat, ?) + ? WHERE account = ? RETURNING tat",
        rs -> rs.getLong(1), now, now, now, now, now - now % WINDOW_MS, nowMicros, intervalMicros, account).get(0));
    long startMicros = tat - intervalMicros;
    long waitMillis = (startMicros - clock.realNow() * 1000) / 1000;
    if (waitMillis > 0) {
      Thread.sleep(waitMillis);
    }
  }

  /** AWS throttled a call: every process waits a second longer. */
  void throttled() {
    long nowMicros = clock.realNow() * 1000;
    db.inTransaction("back off after throttling", c -> Database.update(c, "UPDATE quota SET tat = " + max()
        + "(tat, ?) + ? WHERE account = ?", nowMicros, THROTTLE_PENALTY_MS * 1000, account));
  }

  /** Calls a second over the last complete 10-second window, every process together. */
  double inUse() {
    long now = clock.realNow();
    List<long[]> row = db.query("SELECT window_start, window_calls, previous_calls FROM quota WHERE account = ?",
        (ResultSet rs) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, account);
    if (row.isEmpty()) {
      return 0;
    }
    long start = row.get(0)[0];
    long calls = now < start + WINDOW_MS ? row.get(0)[2] : now < start + 2 * WINDOW_MS ? row.get(0)[1] : 0;
    return calls * 1000.0 / WINDOW_MS;
  }
}
