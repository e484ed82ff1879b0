package io.meterbridge.server;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The four operations, as the protocol layer calls them once a request is authenticated,
 * within its quota, and decoded into a request that meets every model constraint.
 *
 * <p>Methods are called on a network thread and must not block it: do blocking work (storage)
 * elsewhere and complete the future there. To fail a call, throw or complete the future
 * exceptionally with a {@link io.meterbridge.exception.MeteringServiceException} subclass; the
 * client receives its {@code statusCode()}, {@code errorCode()} and message. Any other throwable
 * becomes a 500 {@code InternalServiceErrorException} whose details are only logged.
 *
 * <pre>{@code
 * MeteringService service = new MeteringService() {
 *   public CompletableFuture<MeterUsageResponse> meterUsage(CallContext ctx, MeterUsageRequest r) {
 *     return CompletableFuture.supplyAsync(() -> store.meter(ctx.caller(), r), storageExecutor);
 *   }
 *   ...
 * };
 * }</pre>
 */
public interface MeteringService {
  /** {@code AWSMPMeteringService.BatchMeterUsage}. */
  CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(CallContext context, BatchMeterUsageRequest request);

  /** {@code AWSMPMeteringService.MeterUsage}. */
  CompletableFuture<MeterUsageResponse> meterUsage(CallContext context, MeterUsageRequest request);

  /** {@code AWSMPMeteringService.RegisterUsage}. */
  CompletableFuture<RegisterUsageResponse> registerUsage(CallContext context, RegisterUsageRequest request);

  /** {@code AWSMPMeteringService.ResolveCustomer}. */
  CompletableFuture<ResolveCustomerResponse> resolveCustomer(CallContext context, ResolveCustomerRequest request);
}
