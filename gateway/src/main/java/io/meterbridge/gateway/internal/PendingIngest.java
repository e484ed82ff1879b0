package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.IngestResult;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One ingest call waiting for the writer: its valid events, and the answers of the whole call in
 * request order (the validator's rejections already in place). The writer fills in the rest while
 * it runs the group and completes the future only after the commit.
 */
final class PendingIngest {
  final List<ValidEvent> events;
  private final int[] positions;
  private final IngestResult[] results;
  final CompletableFuture<List<IngestResult>> future = new CompletableFuture<>();

  /**
   * @param events the events that passed validation
   * @param positions where each of {@code events} stands in the call
   * @param results the call's answers, {@code null} where {@code events} go
   */
  PendingIngest(List<ValidEvent> events, int[] positions, IngestResult[] results) {
    this.events = events;
    this.positions = positions;
    this.results = results;
  }

  /** Sets the answer of valid event {@code i}. */
  void answer(int i, IngestResult result) {
    results[positions[i]] = result;
  }

  /** Forgets the answers of an attempt that was rolled back. */
  void reset() {
    for (int p : positions) {
      results[p] = null;
    }
  }

  void complete() {
    future.complete(List.of(results));
  }

  void fail(Throwable t) {
    future.completeExceptionally(t);
  }

  @Override
  public String toString() {
    return "PendingIngest[" + events.size() + " of " + results.length + " events, " + Arrays.stream(results)
        .filter(r -> r != null).count() + " answered]";
  }
}
