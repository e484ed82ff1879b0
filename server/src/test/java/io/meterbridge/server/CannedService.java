package io.meterbridge.server;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A test double for the operations: answers with canned data, records the calls, and can be told
 * to fail or to answer later.
 */
public final class CannedService implements MeteringService {
  public static final String RECORD_ID = "mr-0000-1111";
  public static final String SIGNATURE = "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln";

  public final List<CallContext> contexts = new CopyOnWriteArrayList<>();
  public final List<Object> requests = new CopyOnWriteArrayList<>();
  public final AtomicInteger calls = new AtomicInteger();
  private volatile Supplier<CompletableFuture<?>> override;

  /** From now on, every call answers with what {@code answer} returns (or throws). */
  public void answerWith(Supplier<CompletableFuture<?>> answer) {
    this.override = answer;
  }

  /** From now on, every call throws {@code failure}. */
  public void throwing(RuntimeException failure) {
    answerWith(() -> {
      throw failure;
    });
  }

  /** From now on, every call fails its future with {@code failure}, from another thread. */
  public void failingLater(Throwable failure) {
    answerWith(() -> CompletableFuture.supplyAsync(() -> null)
        .thenCompose(x -> CompletableFuture.failedFuture(failure)));
  }

  @SuppressWarnings("unchecked")
  private <O> CompletableFuture<O> answer(CallContext context, Object request, Supplier<O> canned) {
    calls.incrementAndGet();
    contexts.add(context);
    requests.add(request);
    Supplier<CompletableFuture<?>> o = override;
    if (o != null) {
      return (CompletableFuture<O>) o.get();
    }
    return CompletableFuture.completedFuture(canned.get());
  }

  @Override
  public CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(CallContext context, BatchMeterUsageRequest request) {
    return answer(context, request, () -> new BatchMeterUsageResponse(
        request.usageRecords().stream()
            .map(r -> UsageRecordResult.of(r, RECORD_ID, UsageRecordResultStatus.SUCCESS))
            .toList(),
        List.of()));
  }

  @Override
  public CompletableFuture<MeterUsageResponse> meterUsage(CallContext context, MeterUsageRequest request) {
    return answer(context, request, () -> MeterUsageResponse.of(RECORD_ID));
  }

  @Override
  public CompletableFuture<RegisterUsageResponse> registerUsage(CallContext context, RegisterUsageRequest request) {
    return answer(context, request, () -> new RegisterUsageResponse(
        Optional.of(Instant.ofEpochSecond(1_767_225_600L)), Optional.of(SIGNATURE)));
  }

  @Override
  public CompletableFuture<ResolveCustomerResponse> resolveCustomer(CallContext context, ResolveCustomerRequest request) {
    return answer(context, request, () -> new ResolveCustomerResponse(Optional.empty(), Optional.of("prod-abc"),
        Optional.of("111122223333"),
        Optional.of("arn:aws:license-manager::123456789012:license:l-0123456789abcdef0")));
  }
}
