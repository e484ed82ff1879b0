package io.meterbridge.client;

import static io.meterbridge.client.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The shared suite against the asynchronous client, plus what only it can do. */
class MeteringAsyncClientTest extends MeteringClientContract {
  @Override
  protected MeteringClient build(Consumer<ClientBuilder<?>> config) {
    MeteringAsyncClient.Builder builder = MeteringAsyncClient.builder();
    config.accept(builder);
    return new Joining(builder.build());
  }

  MeteringAsyncClient asyncClient() {
    return ((Joining) client()).async;
  }

  @Test
  void meterUsage_slowServer_returnsAFutureAtOnce() {
    // The answer comes long after any plausible scheduling delay, so the check below holds on a
    // loaded machine too; no elapsed time is asserted.
    server.enqueue(ok("{\"MeteringRecordId\":\"later\"}").after(Duration.ofSeconds(3)));
    MeteringAsyncClient client = asyncClient();

    CompletableFuture<MeterUsageResponse> future = client.meterUsage(meterRequest());

    assertThat(future).isNotDone();
    assertThat(future.join().meteringRecordId()).contains("later");
  }

  @Test
  void meterUsage_consumerBuilderBreakingAConstraint_failsTheFutureInsteadOfThrowing() {
    CompletableFuture<MeterUsageResponse> future = asyncClient().meterUsage(b -> b.productCode("p"));

    assertThat(future).isCompletedExceptionally();
    assertThat(future.handle((r, e) -> e).join()).isInstanceOf(InvalidRequestException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void meterUsage_cancelledWhileInFlight_isNotRetried() throws Exception {
    server.enqueue(ok("{}").after(Duration.ofMillis(800)), ok("{}"));
    MeteringAsyncClient client = asyncClient();

    CompletableFuture<MeterUsageResponse> future = client.meterUsage(meterRequest());
    Thread.sleep(200);
    future.cancel(true);
    Thread.sleep(1000);

    assertThat(future).isCancelled();
    assertThat(server.requests()).hasSize(1);
  }

  /** The async client seen through the blocking interface, for the shared suite. */
  static final class Joining implements MeteringClient {
    final MeteringAsyncClient async;

    Joining(MeteringAsyncClient async) {
      this.async = async;
    }

    static <T> T join(CompletableFuture<T> future) {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }

    @Override
    public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
      return join(async.batchMeterUsage(request));
    }

    @Override
    public MeterUsageResponse meterUsage(MeterUsageRequest request) {
      return join(async.meterUsage(request));
    }

    @Override
    public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
      return join(async.registerUsage(request));
    }

    @Override
    public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
      return join(async.resolveCustomer(request));
    }

    @Override
    public void close() {
      async.close();
    }
  }
}
