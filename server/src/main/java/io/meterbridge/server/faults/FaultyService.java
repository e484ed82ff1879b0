package io.meterbridge.server.faults;

import io.meterbridge.exception.DisabledApiException;
import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.server.CallContext;
import io.meterbridge.server.MeteringService;
import io.meterbridge.server.http.DroppedConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operations with faults injected in front of them, as {@link Faults} says: so that a pipeline
 * can be tested against everything AWS can do to it. A call no rule fires on goes straight to the
 * real operations.
 */
public final class FaultyService implements MeteringService {
  // Delayed calls resume here, not in the common pool (which starts a thread per task on small machines).
  private static final Executor DELAYED = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "meterbridge-fault-delay");
    t.setDaemon(true);
    return t;
  });

  private final MeteringService service;
  private final Faults faults;

  public FaultyService(MeteringService service, Faults faults) {
    this.service = service;
    this.faults = faults;
  }

  @Override
  public CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(CallContext context, BatchMeterUsageRequest request) {
    Optional<FaultRule> fault = faults.draw(Operation.BATCH_METER_USAGE);
    if (fault.isPresent() && fault.get().kind() == FaultKind.UNPROCESSED && !request.usageRecords().isEmpty()) {
      return unprocessed(context, request);
    }
    return inject(fault, Operation.BATCH_METER_USAGE, () -> service.batchMeterUsage(context, request));
  }

  @Override
  public CompletableFuture<MeterUsageResponse> meterUsage(CallContext context, MeterUsageRequest request) {
    return inject(faults.draw(Operation.METER_USAGE), Operation.METER_USAGE,
        () -> service.meterUsage(context, request));
  }

  @Override
  public CompletableFuture<RegisterUsageResponse> registerUsage(CallContext context, RegisterUsageRequest request) {
    return inject(faults.draw(Operation.REGISTER_USAGE), Operation.REGISTER_USAGE,
        () -> service.registerUsage(context, request));
  }

  @Override
  public CompletableFuture<ResolveCustomerResponse> resolveCustomer(CallContext context,
      ResolveCustomerRequest request) {
    return inject(faults.draw(Operation.RESOLVE_CUSTOMER), Operation.RESOLVE_CUSTOMER,
        () -> service.resolveCustomer(context, request));
  }

  private static <T> CompletableFuture<T> inject(Optional<FaultRule> fault, Operation<?, ?> operation,
      Supplier<CompletableFuture<T>> call) {
    if (fault.isEmpty()) {
      return call.get();
    }
    String why = " (fault injected: " + fault.get().kind().wireName() + " on " + operation + ")";
    return switch (fault.get().kind()) {
      case THROTTLE -> CompletableFuture.failedFuture(new ThrottlingException("Rate exceeded" + why));
      case INTERNAL_ERROR -> CompletableFuture.failedFuture(new InternalServiceErrorException(
          "An internal error has occurred. Retry your request." + why));
      case DISABLED_API -> CompletableFuture.failedFuture(new DisabledApiException(
          "The API is disabled in the Region." + why));
      case DROP_BEFORE_COMMIT -> CompletableFuture.failedFuture(new DroppedConnection("dropped before commit"));
      case DROP_AFTER_COMMIT -> call.get().thenCompose(done ->
          CompletableFuture.failedFuture(new DroppedConnection("dropped after commit")));
      case DELAY -> {
        Executor later = CompletableFuture.delayedExecutor(fault.get().delay().toMillis(), TimeUnit.MILLISECONDS,
            DELAYED);
        yield CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> call.get());
      }
      case UNPROCESSED -> call.get(); // matches BatchMeterUsage only, handled there
    };
  }

  /** Some of the records (at least one) come back unprocessed and unstored; the rest go through. */
  private CompletableFuture<BatchMeterUsageResponse> unprocessed(CallContext context, BatchMeterUsageRequest request) {
    List<UsageRecord> records = request.usageRecords();
    int n = records.size();
    int unprocessed = 1 + faults.nextInt(n);
    int from = faults.nextInt(n);
    List<UsageRecord> back = new ArrayList<>();
    List<UsageRecord> through = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // A run of records, wrapping round: which ones is drawn from the plan's seed too.
      ((i - from + n) % n < unprocessed ? back : through).add(records.get(i));
    }
    if (through.isEmpty()) {
      return CompletableFuture.completedFuture(new BatchMeterUsageResponse(List.of(), back));
    }
    return service.batchMeterUsage(context, request.toBuilder().usageRecords(through).build())
        .thenApply(done -> {
          List<UsageRecord> all = new ArrayList<>(done.unprocessedRecords());
          all.addAll(back);
          return new BatchMeterUsageResponse(done.results(), all);
        });
  }
}
