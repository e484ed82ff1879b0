package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A write waiting for the group-commit writer. The writer fills in the result while executing the
 * group and completes the future only after the commit.
 */
abstract sealed class PendingWrite {

  /** How many records this write adds to a group, for the group size bound. */
  abstract int rows();

  /** Completes the caller's future with the result the writer filled in. */
  abstract void complete();

  abstract void fail(Throwable failure);

  /** Forgets a result filled in by an attempt that was rolled back. */
  abstract void reset();

  static final class Batch extends PendingWrite {
    final List<BatchRow> rows;
    final MeterOutcome[] outcomes;
    final CompletableFuture<List<MeterOutcome>> future = new CompletableFuture<>();

    Batch(List<BatchRow> rows) {
      this.rows = rows;
      this.outcomes = new MeterOutcome[rows.size()];
    }

    @Override
    int rows() {
      return Math.max(1, rows.size());
    }

    @Override
    void complete() {
      future.complete(List.of(outcomes));
    }

    @Override
    void fail(Throwable failure) {
      future.completeExceptionally(failure);
    }

    @Override
    void reset() {
      Arrays.fill(outcomes, null);
    }
  }

  static final class Meter extends PendingWrite {
    final MeterRow row;
    final Keys.Token token; // null when the row has no client token
    MeterOutcome outcome;
    final CompletableFuture<MeterOutcome> future = new CompletableFuture<>();

    Meter(MeterRow row) {
      this.row = row;
      this.token = Keys.Token.of(row);
    }

    @Override
    int rows() {
      return 1;
    }

    @Override
    void complete() {
      future.complete(outcome);
    }

    @Override
    void fail(Throwable failure) {
      future.completeExceptionally(failure);
    }

    @Override
    void reset() {
      outcome = null;
    }
  }

  static final class Task extends PendingWrite {
    final String callerIdentity;
    final String productCode;
    final String callerAccountId;
    final Instant at;
    TaskRegistration registration;
    final CompletableFuture<TaskRegistration> future = new CompletableFuture<>();

    Task(String callerIdentity, String productCode, String callerAccountId, Instant at) {
      this.callerIdentity = callerIdentity;
      this.productCode = productCode;
      this.callerAccountId = callerAccountId;
      this.at = at;
    }

    @Override
    int rows() {
      return 1;
    }

    @Override
    void complete() {
      future.complete(registration);
    }

    @Override
    void fail(Throwable failure) {
      future.completeExceptionally(failure);
    }

    @Override
    void reset() {
      registration = null;
    }
  }
}
