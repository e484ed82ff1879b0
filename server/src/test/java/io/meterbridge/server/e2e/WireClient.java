package io.meterbridge.server.e2e;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;

/**
 * One client of the server under test, speaking the wire protocol: ours or the official AWS SDK.
 * Errors surface as {@link io.meterbridge.exception.MeteringServiceException}s whatever the client,
 * so that one scenario suite judges both.
 */
interface WireClient extends AutoCloseable {
  /** Whether this client can send the members that arrived in the 2026-02 model (LicenseArn). */
  boolean supportsLicenseArn();

  BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request);

  /**
   * Sends records the model may forbid (too many, both customer ids). A client that validates
   * before sending throws {@link io.meterbridge.exception.InvalidRequestException}; one that does
   * not lets the server answer.
   */
  default BatchMeterUsageResponse batchMeterUsageUnchecked(String productCode, java.util.List<io.meterbridge.model.UsageRecord> records) {
    return batchMeterUsage(BatchMeterUsageRequest.of(productCode, records));
  }

  MeterUsageResponse meterUsage(MeterUsageRequest request);

  RegisterUsageResponse registerUsage(RegisterUsageRequest request);

  ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request);

  @Override
  void close();

  /** Makes clients for one identity against one endpoint. */
  interface Factory {
    WireClient create(String endpoint, String region, String accessKeyId, String secretAccessKey);
  }
}
