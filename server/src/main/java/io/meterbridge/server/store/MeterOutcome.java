package io.meterbridge.server.store;

/**
 * What a metering write did with one record. Every outcome names the metering record id the caller
 * should report: its own for {@link Stored}, the original row's otherwise.
 */
public sealed interface MeterOutcome {

  /** The metering record id to report, or (for a conflict) the id of the row that stays billed. */
  String meteringRecordId();

  /** The row is new and now durably stored under the caller's id. */
  record Stored(String meteringRecordId) implements MeterOutcome {
    public Stored {
      Require.text(meteringRecordId, "meteringRecordId");
    }
  }

  /** An identical row was already stored: an idempotent retry; report the original id. */
  record Replayed(String meteringRecordId) implements MeterOutcome {
    public Replayed {
      Require.text(meteringRecordId, "meteringRecordId");
    }
  }

  /**
   * A row with the same dedup key but a different fingerprint was stored first; it stays billed.
   * BatchMeterUsage answers {@code DuplicateRecord}, MeterUsage {@code DuplicateRequestException}.
   */
  record Conflict(String meteringRecordId) implements MeterOutcome {
    public Conflict {
      Require.text(meteringRecordId, "meteringRecordId");
    }
  }

  /**
   * MeterUsage only: the client token was used before with different request parameters
   * ({@code IdempotencyConflictException}). Names the row stored under that token.
   */
  record TokenConflict(String meteringRecordId) implements MeterOutcome {
    public TokenConflict {
      Require.text(meteringRecordId, "meteringRecordId");
    }
  }
}
