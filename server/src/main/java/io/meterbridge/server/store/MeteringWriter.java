package io.meterbridge.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The metering writes of {@link Store}: queued to one {@link GroupCommitter}, whose thread runs
 * every pending write of a group in one transaction and judges each row by the unique keys (stored,
 * replayed or conflicting). The dialect inserts and finds; the rules of who wins live here, the
 * same on both databases.
 */
final class MeteringWriter implements AutoCloseable {
  private final Dialect dialect;
  private final Jdbc writer;
  private final GroupCommitter committer;
  /**
   * The {@code key_name} ids this writer knows to be committed: loaded whole with the first group,
   * then grown by each group's new names once that group commits. Writer thread only. It grows with
   * the distinct product codes, customers and dimensions ever metered (about 100 bytes each).
   */
  private final Map<String, Integer> nameIds = new HashMap<>();
  private boolean namesLoaded;
  /** The names the group being written added, kept only if it commits. */
  private Map<String, Integer> groupNameIds = Map.of();

  /** @param writer the writer's own connection (one), apart from the pool of reads and catalog writes */
  MeteringWriter(String name, Dialect dialect, Jdbc writer, StoreConfig config) {
    this.dialect = dialect;
    this.writer = writer;
    this.committer = new GroupCommitter(name, config.maxPendingWrites(), config.maxGroupRows(), this::writeGroup,
        dialect.commitSync());
  }

  CompletableFuture<List<MeterOutcome>> meterBatch(List<BatchRow> rows) {
    List<BatchRow> copy = List.copyOf(rows);
    if (copy.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    PendingWrite.Batch w = new PendingWrite.Batch(copy);
    committer.submit(w);
    return w.future;
  }

  CompletableFuture<MeterOutcome> meterUsage(MeterRow row) {
    PendingWrite.Meter w = new PendingWrite.Meter(Require.present(row, "row"));
    committer.submit(w);
    return w.future;
  }

  CompletableFuture<TaskRegistration> registerTask(
      String callerIdentity, String productCode, String callerAccountId, Instant at) {
    PendingWrite.Task w = new PendingWrite.Task(
        Require.text(callerIdentity, "callerIdentity"),
        Require.text(productCode, "productCode"),
        Require.text(callerAccountId, "callerAccountId"),
        Require.present(at, "at"));
    committer.submit(w);
    return w.future;
  }

  private void writeGroup(List<PendingWrite> group) {
    try {
      writer.inTransaction("group commit of " + group.size() + " writes", c -> {
        groupNameIds = Map.of();
        executeGroup(c, group);
        return null;
      }, () -> group.forEach(PendingWrite::reset));
      nameIds.putAll(groupNameIds);
    } finally {
      groupNameIds = Map.of();
    }
  }

  /**
   * Sets each slot's stored key and license id, adding names {@code key_name} does not hold yet
   * (license ARNs share the dictionary).
   */
  private void resolveIds(Connection c, List<BatchSlot> slots) throws SQLException {
    if (!namesLoaded) {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, id FROM key_name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          nameIds.put(rs.getString(1), rs.getInt(2));
        }
      }
      namesLoaded = true;
    }
    Set<String> unknown = new HashSet<>();
    for (BatchSlot s : slots) {
      BatchRow r = s.row();
      BatchRow.Key k = r.key();
      addIfUnknown(k.productCode(), unknown);
      addIfUnknown(k.customerAccountId(), unknown);
      addIfUnknown(k.dimension(), unknown);
      r.licenseArn().ifPresent(l -> addIfUnknown(l, unknown));
    }
    Map<String, Integer> added = unknown.isEmpty() ? Map.of() : dialect.internNames(c, new ArrayList<>(unknown));
    groupNameIds = added;
    for (BatchSlot s : slots) {
      BatchRow r = s.row();
      BatchRow.Key k = r.key();
      s.key = new Tables.IdKey(k.hour(), id(k.productCode(), added), id(k.customerAccountId(), added),
          id(k.dimension(), added));
      s.licenseId = r.licenseArn().isPresent() ? id(r.licenseArn().get(), added) : 0;
    }
  }

  private void addIfUnknown(String name, Set<String> unknown) {
    if (!nameIds.containsKey(name)) {
      unknown.add(name);
    }
  }

  private int id(String name, Map<String, Integer> added) {
    Integer id = nameIds.get(name);
    if (id == null) {
      id = added.get(name);
    }
    if (id == null) {
      throw new StoreException("key_name has no id for " + name + " after adding it");
    }
    return id;
  }

  private void executeGroup(Connection c, List<PendingWrite> group) throws SQLException {
    List<BatchSlot> batchSlots = new ArrayList<>();
    List<PendingWrite.Meter> meters = new ArrayList<>();
    List<PendingWrite.Task> tasks = new ArrayList<>();
    for (PendingWrite w : group) {
      if (w instanceof PendingWrite.Batch b) {
        for (int i = 0; i < b.rows.size(); i++) {
          batchSlots.add(new BatchSlot(b, i));
        }
      } else if (w instanceof PendingWrite.Meter m) {
        meters.add(m);
      } else if (w instanceof PendingWrite.Task t) {
        tasks.add(t);
      }
    }
    if (!batchSlots.isEmpty()) {
      writeBatchRows(c, batchSlots);
    }
    if (!meters.isEmpty()) {
      writeMeterRows(c, meters);
    }
    if (!tasks.isEmpty()) {
      writeTasks(c, tasks);
    }
  }

  /** One record of a batch write, and what the writer learns about it while writing the group. */
  private static final class BatchSlot {
    final PendingWrite.Batch write;
    final int index;
    Tables.IdKey key;
    int licenseId;
    /** Where the record goes: its call's seq times {@link Tables#SLOTS} plus its slot there. */
    long ref;
    int slot;
    boolean stored;

    BatchSlot(PendingWrite.Batch write, int index) {
      this.write = write;
      this.index = index;
    }

    BatchRow row() {
      return write.rows.get(index);
    }

    void outcome(MeterOutcome o) {
      write.outcomes[index] = o;
    }
  }

  /** The records of one write that share a product, a caller and a time received: one batch_call row. */
  private static final class Call {
    final List<BatchSlot> slots = new ArrayList<>();
    long seq;

    /** Whether {@code s} belongs in this call: the same write and call fields, and a free slot. */
    boolean takes(BatchSlot s) {
      if (slots.isEmpty()) {
        return true;
      }
      if (slots.size() == Tables.SLOTS) {
        return false;
      }
      BatchSlot first = slots.get(0);
      BatchRow a = first.row();
      BatchRow b = s.row();
      return first.write == s.write && first.key.productId() == s.key.productId()
          && a.callerAccountId().equals(b.callerAccountId()) && a.receivedAt().equals(b.receivedAt());
    }
  }

  /*
   * A write's records go into one call row per product (a BatchMeterUsage call has one), caller and
   * time received, each of at most SLOTS records: the row holds those fields once and each record's
   * slot fits its ref.
   */
  private static List<Call> calls(List<BatchSlot> slots) {
    List<Call> calls = new ArrayList<>();
    Map<List<Object>, Call> open = new HashMap<>();
    Call last = null;
    for (BatchSlot s : slots) {
      // A write's records nearly always share the call fields, so the previous call is the usual answer.
      Call call = last != null && last.takes(s) ? last : null;
      if (call == null) {
        BatchRow r = s.row();
        List<Object> key = List.of(s.write, s.key.productId(), r.callerAccountId(), r.receivedAt());
        call = open.get(key);
        if (call == null || !call.takes(s)) {
          call = new Call();
          calls.add(call);
          open.put(key, call);
        }
      }
      s.slot = call.slots.size();
      call.slots.add(s);
      last = call;
    }
    return calls;
  }

  /*
   * Rows are written in rounds. A round holds no two rows with the same key, so its rows can be
   * inserted as one set; a row whose key is already taken by an earlier row of the group waits for
   * the next round, which sees the earlier row in the same transaction. The result is exactly what
   * writing the rows one by one in arrival order would give. Same-key rows within a group are rare
   * (concurrent retries), so nearly every group is one round.
   *
   * The records' keys go first (batch_record), pointing at call rows whose seqs are taken up front;
   * the call rows (batch_call) follow with the records that won their keys.
   */
  private void writeBatchRows(Connection c, List<BatchSlot> slots) throws SQLException {
    resolveIds(c, slots);
    List<Call> calls = calls(slots);
    long[] seqs = dialect.callSeqs(c, calls.size());
    for (int i = 0; i < calls.size(); i++) {
      Call call = calls.get(i);
      call.seq = seqs[i];
      for (BatchSlot s : call.slots) {
        s.ref = call.seq * Tables.SLOTS + s.slot;
      }
    }
    List<BatchSlot> pending = slots;
    while (!pending.isEmpty()) {
      List<BatchSlot> round = new ArrayList<>(pending.size());
      List<BatchSlot> later = new ArrayList<>();
      Set<Tables.IdKey> claimed = new HashSet<>(pending.size() * 2);
      for (BatchSlot s : pending) {
        (claimed.add(s.key) ? round : later).add(s);
      }
      List<Tables.RecordRow> rows = new ArrayList<>(round.size());
      round.forEach(s -> rows.add(new Tables.RecordRow(s.key, s.row().quantity(), s.licenseId, s.ref)));
      boolean[] inserted = dialect.insert(c, Tables.BATCH_RECORD, rows);
      List<Tables.IdKey> lost = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (!inserted[i]) {
          lost.add(rows.get(i).key());
        }
      }
      Map<Tables.IdKey, Keys.Existing> winners = lost.isEmpty() ? Map.of() : winners(c, lost, slots);
      for (int i = 0; i < round.size(); i++) {
        BatchSlot s = round.get(i);
        BatchRow row = s.row();
        if (inserted[i]) {
          s.stored = true;
          s.outcome(new MeterOutcome.Stored(row.meteringRecordId()));
          continue;
        }
        Keys.Existing e = winners.get(s.key);
        if (e == null) {
          throw new StoreException("insert of " + row.meteringRecordId()
              + " was skipped as a duplicate but no row holds its key " + row.key());
        }
        s.outcome(e.fingerprint().equals(row.fingerprint())
            ? new MeterOutcome.Replayed(e.meteringRecordId())
            : new MeterOutcome.Conflict(e.meteringRecordId()));
      }
      pending = later;
    }
    writeCalls(c, calls);
  }

  /**
   * The records that hold {@code keys}: this group's own ({@code slots}) from memory, earlier ones
   * from their call rows. Only groups with a duplicate get here, so the group is indexed here.
   */
  private Map<Tables.IdKey, Keys.Existing> winners(Connection c, List<Tables.IdKey> keys, List<BatchSlot> slots)
      throws SQLException {
    Map<Long, BatchSlot> byRef = new HashMap<>(slots.size() * 2);
    for (BatchSlot s : slots) {
      byRef.put(s.ref, s);
    }
    Map<Tables.IdKey, Keys.Existing> refs = dialect.find(c, Tables.BATCH_RECORD_KEY, Dialect.BATCH_EXISTING, keys);
    Map<Tables.IdKey, Keys.Existing> found = new HashMap<>();
    Map<Long, List<Tables.IdKey>> earlier = new HashMap<>();
    for (Map.Entry<Tables.IdKey, Keys.Existing> e : refs.entrySet()) {
      long ref = Long.parseLong(e.getValue().meteringRecordId());
      BatchSlot own = byRef.get(ref);
      if (own != null) {
        found.put(e.getKey(), new Keys.Existing(own.row().meteringRecordId(), own.row().fingerprint(), ""));
      } else {
        earlier.computeIfAbsent(ref, r -> new ArrayList<>()).add(e.getKey());
      }
    }
    if (earlier.isEmpty()) {
      return found;
    }
    Map<Long, List<Long>> bySeq = new HashMap<>();
    earlier.keySet().forEach(ref -> bySeq.computeIfAbsent(ref / Tables.SLOTS, q -> new ArrayList<>()).add(ref));
    List<Long> seqs = new ArrayList<>(bySeq.keySet());
    for (int from = 0; from < seqs.size(); from += FIND_CALLS) {
      List<Long> chunk = seqs.subList(from, Math.min(seqs.size(), from + FIND_CALLS));
      String sql = "SELECT seq, records FROM batch_call WHERE seq IN ("
          + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setLong(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long seq = rs.getLong(1);
            for (CallRecords.Entry entry : CallRecords.decode(rs.getString(2))) {
              List<Tables.IdKey> holders = earlier.get(seq * Tables.SLOTS + entry.slot());
              if (holders != null) {
                Keys.Existing e = new Keys.Existing(entry.id(), entry.fingerprint(), "");
                holders.forEach(k -> found.put(k, e));
              }
            }
          }
        }
      }
    }
    return found;
  }

  /** Call rows a look-up of earlier records reads at once. */
  private static final int FIND_CALLS = 500;

  private void writeCalls(Connection c, List<Call> calls) throws SQLException {
    List<Tables.CallRow> rows = new ArrayList<>(calls.size());
    for (Call call : calls) {
      List<CallRecords.Entry> entries = new ArrayList<>(call.slots.size());
      for (BatchSlot s : call.slots) {
        if (s.stored) {
          BatchRow r = s.row();
          entries.add(new CallRecords.Entry(s.slot, r.meteringRecordId(), s.key.customerId(), s.key.dimensionId(),
              r.timestamp().toEpochMilli(), r.quantity(), r.allocations(), r.fingerprint(), s.licenseId));
        }
      }
      if (!entries.isEmpty()) {
        BatchRow first = call.slots.get(0).row();
        rows.add(new Tables.CallRow(call.seq, call.slots.get(0).key.productId(), first.callerAccountId(),
            first.receivedAt(), CallRecords.encode(entries)));
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    boolean[] inserted = dialect.insert(c, Tables.BATCH_CALL, rows);
    for (int i = 0; i < inserted.length; i++) {
      if (!inserted[i]) {
        throw new StoreException("batch_call seq " + rows.get(i).seq() + " is taken; the writer's seqs must be new");
      }
    }
  }

  private void writeMeterRows(Connection c, List<PendingWrite.Meter> writes) throws SQLException {
    List<PendingWrite.Meter> pending = writes;
    while (!pending.isEmpty()) {
      List<PendingWrite.Meter> round = new ArrayList<>(pending.size());
      List<PendingWrite.Meter> later = new ArrayList<>();
      Set<MeterRow.Key> hours = new HashSet<>();
      Set<Keys.Token> tokens = new HashSet<>();
      for (PendingWrite.Meter w : pending) {
        // Claim both keys either way: a row that waits must also hold back later rows sharing its keys.
        boolean freeHour = hours.add(w.row.key());
        boolean freeToken = w.token == null || tokens.add(w.token);
        (freeHour && freeToken ? round : later).add(w);
      }
      writeMeterRound(c, round);
      pending = later;
    }
  }

  private void writeMeterRound(Connection c, List<PendingWrite.Meter> round) throws SQLException {
    List<Keys.Token> tokens = new ArrayList<>();
    round.forEach(w -> {
      if (w.token != null) {
        tokens.add(w.token);
      }
    });
    // The ClientToken check comes first, as in the API.
    Map<Keys.Token, Keys.Existing> byToken = findTokens(c, tokens);
    List<PendingWrite.Meter> toInsert = new ArrayList<>(round.size());
    for (PendingWrite.Meter w : round) {
      Keys.Existing e = w.token == null ? null : byToken.get(w.token);
      if (e != null) {
        w.outcome = tokenOutcome(w.row, e);
      } else {
        toInsert.add(w);
      }
    }
    if (toInsert.isEmpty()) {
      return;
    }
    List<MeterRow> rows = new ArrayList<>(toInsert.size());
    toInsert.forEach(w -> rows.add(w.row));
    boolean[] inserted = dialect.insert(c, Tables.METER_USAGE, rows);
    List<MeterRow.Key> lostHours = new ArrayList<>();
    List<Keys.Token> lostTokens = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      PendingWrite.Meter w = toInsert.get(i);
      if (inserted[i]) {
        w.outcome = new MeterOutcome.Stored(w.row.meteringRecordId());
      } else {
        lostHours.add(w.row.key());
        if (w.token != null) {
          lostTokens.add(w.token);
        }
      }
    }
    if (lostHours.isEmpty()) {
      return;
    }
    // Another process may have stored the same token since the check above (PostgreSQL only): the
    // token still wins over the hour key.
    Map<Keys.Token, Keys.Existing> lateTokens = findTokens(c, lostTokens);
    Map<MeterRow.Key, Keys.Existing> byHour = dialect.find(c, Tables.METER_KEY, Dialect.METER_EXISTING, lostHours);
    List<PendingWrite.Meter> answeredByHour = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (inserted[i]) {
        continue;
      }
      PendingWrite.Meter w = toInsert.get(i);
      Keys.Existing t = w.token == null ? null : lateTokens.get(w.token);
      Keys.Existing h = byHour.get(w.row.key());
      if (t != null) {
        w.outcome = tokenOutcome(w.row, t);
      } else if (h != null) {
        w.outcome = h.fingerprint().equals(w.row.fingerprint())
            ? new MeterOutcome.Replayed(h.meteringRecordId())
            : new MeterOutcome.Conflict(h.meteringRecordId());
        if (w.token != null) {
          answeredByHour.add(w);
        }
      } else {
        throw new StoreException("insert of " + w.row.meteringRecordId()
            + " was skipped as a duplicate but no row holds its keys " + w.row.key() + " / " + w.token);
      }
    }
    if (!answeredByHour.isEmpty()) {
      bindTokens(c, answeredByHour);
    }
  }

  /**
   * The rows stored under {@code tokens}, or else the bindings of tokens answered from another
   * call's row ({@code meter_usage_token}, whose fingerprint is empty): a row's own token wins over
   * a binding.
   */
  private Map<Keys.Token, Keys.Existing> findTokens(Connection c, List<Keys.Token> tokens) throws SQLException {
    if (tokens.isEmpty()) {
      return Map.of();
    }
    Map<Keys.Token, Keys.Existing> found = dialect.find(c, Tables.TOKEN_KEY, Dialect.METER_EXISTING, tokens);
    List<Keys.Token> unstored = new ArrayList<>(tokens.size() - found.size());
    for (Keys.Token t : tokens) {
      if (!found.containsKey(t)) {
        unstored.add(t);
      }
    }
    Map<Keys.Token, Keys.Existing> bound =
        unstored.isEmpty() ? Map.of() : dialect.find(c, Tables.BOUND_TOKEN_KEY, Dialect.BOUND_EXISTING, unstored);
    if (bound.isEmpty()) {
      return found;
    }
    Map<Keys.Token, Keys.Existing> both = new HashMap<>(found);
    both.putAll(bound);
    return both;
  }

  private static final String BIND_TOKEN =
      Tables.TOKEN_BINDING.insert() + " ON CONFLICT (caller_account_id, client_token) DO NOTHING";

  /**
   * Binds the tokens of calls answered from another call's row to their own parameters, so that the
   * same token with other parameters is an IdempotencyConflict later. A token another process bound
   * meanwhile (PostgreSQL) wins, as a stored row's does. Rare (a retry under a new token, or a
   * conflict), so the same batched statement on both databases.
   */
  private void bindTokens(Connection c, List<PendingWrite.Meter> writes) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(BIND_TOKEN)) {
      for (PendingWrite.Meter w : writes) {
        Tables.TOKEN_BINDING.bind(ps, 1,
            new Tables.TokenBinding(w.token, w.row.requestFingerprint(), w.outcome.meteringRecordId()));
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    List<Keys.Token> beaten = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      if (counts[i] == 0) {
        beaten.add(writes.get(i).token);
      }
    }
    if (beaten.isEmpty()) {
      return;
    }
    Map<Keys.Token, Keys.Existing> bound = findTokens(c, beaten);
    for (int i = 0; i < writes.size(); i++) {
      PendingWrite.Meter w = writes.get(i);
      Keys.Existing e = counts[i] == 0 ? bound.get(w.token) : null;
      if (e != null) {
        w.outcome = tokenOutcome(w.row, e);
      }
    }
  }

  private static MeterOutcome tokenOutcome(MeterRow row, Keys.Existing e) {
    return e.requestFingerprint().equals(row.requestFingerprint())
        ? new MeterOutcome.Replayed(e.meteringRecordId())
        : new MeterOutcome.TokenConflict(e.meteringRecordId());
  }

  private static final String UPSERT_TASK = Tables.TASK.insert()
      + " ON CONFLICT (caller_identity, product_code) DO UPDATE SET "
      + "last_seen = CASE WHEN excluded.last_seen > task_registration.last_seen "
      + "THEN excluded.last_seen ELSE task_registration.last_seen END, "
      + "calls = task_registration.calls + 1 "
      + "RETURNING first_seen, last_seen, calls";

  private void writeTasks(Connection c, List<PendingWrite.Task> tasks) throws SQLException {
    // Few and one at a time per task by nature (RegisterUsage runs at launch), so row by row in order.
    try (PreparedStatement ps = c.prepareStatement(UPSERT_TASK)) {
      for (PendingWrite.Task t : tasks) {
        Tables.TASK.bind(ps, 1, new TaskRecord(t.callerIdentity, t.productCode, t.callerAccountId, t.at, t.at, 1));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("task upsert returned no row for " + t.callerIdentity);
          }
          long calls = rs.getLong(3);
          t.registration = new TaskRegistration(
              calls == 1, Instant.ofEpochMilli(rs.getLong(1)), Instant.ofEpochMilli(rs.getLong(2)), calls);
        }
      }
    }
  }

  /** Stops accepting writes, commits everything accepted and completes its futures; then closes the connection. */
  @Override
  public void close() {
    try {
      committer.close();
    } finally {
      writer.close();
    }
  }

  /** The writer's queue and commits, for metrics. */
  GroupCommitter committer() {
    return committer;
  }

  /** The writer's connections, for dialect checks in tests. */
  Jdbc connection() {
    return writer;
  }
}
