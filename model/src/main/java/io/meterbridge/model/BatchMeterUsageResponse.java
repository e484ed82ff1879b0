package io.meterbridge.model;

import java.util.List;

/**
 * What BatchMeterUsage did: a result per processed record, and the records it could not process
 * (a transient failure: send them again in another call).
 *
 * <pre>{@code
 * BatchMeterUsageResponse response = client.batchMeterUsage(request);
 * if (!response.unprocessedRecords().isEmpty()) {
 *   retryLater(response.unprocessedRecords());
 * }
 * }</pre>
 *
 * @param results the records processed, honoured or not
 * @param unprocessedRecords the records to submit again
 */
public record BatchMeterUsageResponse(List<UsageRecordResult> results, List<UsageRecord> unprocessedRecords) {
  /** Checks the components. */
  public BatchMeterUsageResponse {
    results = results == null ? List.of() : List.copyOf(results);
    unprocessedRecords = unprocessedRecords == null ? List.of() : List.copyOf(unprocessedRecords);
  }
}
