package io.meterbridge.client.testing;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.MeteringAsyncClient;
import io.meterbridge.client.internal.ClientRuntime;
import io.meterbridge.client.internal.RawResponse;
import io.meterbridge.exception.ErrorCode;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link MeteringClient} for your own tests: no network, no credentials. It records every request,
 * answers from what you stubbed, and otherwise with plausible data, like the Ruby SDK's
 * {@code stub_responses}. Requests are checked exactly as the real client checks them (the model
 * validates them when they are built), and MeterUsage requests get a ClientToken as the real client
 * adds one. Thread-safe. There are no retries: a stubbed error reaches the caller at once.
 *
 * <p>Answers for an operation are used in the order they were stubbed; the last one repeats. Raw
 * HTTP answers ({@link #stubHttpResponse}) go through the real client's codec and error mapping.
 *
 * <pre>{@code
 * StubMeteringClient metering = StubMeteringClient.create()
 *     .stubError(Operation.METER_USAGE, "ThrottlingException", "Rate exceeded")
 *     .stubResponse(Operation.METER_USAGE, MeterUsageResponse.of("record-1"));
 *
 * HourlyMeter meter = new HourlyMeter(metering);       // your code, taking a MeteringClient
 * assertThatThrownBy(meter::report).isInstanceOf(ThrottlingException.class);
 * assertThat(meter.report()).isEqualTo("record-1");
 *
 * MeterUsageRequest sent = metering.apiRequests(Operation.METER_USAGE).get(1);
 * assertThat(sent.usageQuantity()).isEqualTo(4);
 * }</pre>
 */
public final class StubMeteringClient implements MeteringClient {
  /** The request id stubbed errors carry. */
  public static final String STUB_REQUEST_ID = "stub-request-id";

  private final Map<Operation<?, ?>, Answers> answers = new HashMap<>();
  private final List<ApiRequest> requests = new ArrayList<>();
  private volatile boolean closed;

  private StubMeteringClient() {}

  /**
   * A stub with nothing stubbed: every operation answers with default data.
   *
   * <pre>{@code
   * StubMeteringClient metering = StubMeteringClient.create();
   * }</pre>
   */
  public static StubMeteringClient create() {
    return new StubMeteringClient();
  }

  /**
   * Queues responses for an operation, answered in order; the last repeats.
   *
   * <pre>{@code
   * metering.stubResponse(Operation.METER_USAGE, MeterUsageResponse.of("first"), MeterUsageResponse.of("second"));
   * }</pre>
   */
  @SafeVarargs
  public final <I, O> StubMeteringClient stubResponse(Operation<I, O> operation, O... responses) {
    Objects.requireNonNull(operation, "operation");
    if (responses.length == 0) {
      throw new IllegalArgumentException("no responses given for " + operation);
    }
    for (O response : responses) {
      Objects.requireNonNull(response, "response");
      add(operation, request -> response);
    }
    return this;
  }

  /**
   * Queues an answer computed from each request; it may return a response or throw a
   * {@link MeteringException}.
   *
   * <pre>{@code
   * metering.stubResponse(Operation.BATCH_METER_USAGE, request -> new BatchMeterUsageResponse(
   *     request.usageRecords().stream()
   *         .map(r -> UsageRecordResult.of(r, "id-" + r.dimension(), UsageRecordResultStatus.SUCCESS))
   *         .toList(),
   *     List.of()));
   * }</pre>
   */
  public <I, O> StubMeteringClient stubResponse(Operation<I, O> operation, Function<? super I, ? extends O> answer) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(answer, "answer");
    add(operation, answer);
    return this;
  }

  /**
   * Queues a service error by wire code: the exception type the real client would throw for it
   * ({@code ThrottlingException} for {@code "ThrottlingException"}, the base
   * {@link MeteringServiceException} for an unknown code), with the code's usual HTTP status.
   *
   * <pre>{@code
   * metering.stubError(Operation.RESOLVE_CUSTOMER, "ExpiredTokenException", "Token expired");
   * }</pre>
   */
  public <I, O> StubMeteringClient stubError(Operation<I, O> operation, String errorCode, String message) {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
    int status = ErrorCode.find(errorCode).map(ErrorCode::defaultStatus).orElse(400);
    return stubError(operation, () -> MeteringServiceException.of(errorCode, message, status, STUB_REQUEST_ID));
  }

  /**
   * Queues an exception, such as a {@link io.meterbridge.client.TransportException}; a fresh copy
   * is not made, so the same instance is thrown each time this answer is used.
   *
   * <pre>{@code
   * metering.stubError(Operation.METER_USAGE, new TransportException("connection reset", new IOException()));
   * }</pre>
   */
  public <I, O> StubMeteringClient stubError(Operation<I, O> operation, MeteringException error) {
    Objects.requireNonNull(error, "error");
    return stubError(operation, () -> error);
  }

  private <I, O> StubMeteringClient stubError(Operation<I, O> operation,
      java.util.function.Supplier<MeteringException> error) {
    Objects.requireNonNull(operation, "operation");
    add(operation, request -> {
      throw error.get();
    });
    return this;
  }

  /**
   * Queues a raw HTTP answer, read by the real client's codec and error mapping: a 2xx body is
   * decoded as the operation's response (a malformed one fails with the
   * {@link MeteringClientException} the real client would throw), any other status becomes the
   * service exception the real client would throw for those headers and that body (a proxy's HTML
   * 502 included). For testing how your code copes with answers that are malformed, unexpected or
   * from something that is not the service.
   *
   * <pre>{@code
   * metering.stubHttpResponse(Operation.METER_USAGE, 502, Map.of("Content-Type", "text/html"),
   *     "<html><body>Bad Gateway</body></html>");
   * metering.stubHttpResponse(Operation.METER_USAGE, 200, Map.of(), "{\"MeteringRecordId\": 42");
   * }</pre>
   *
   * @throws IllegalArgumentException if the status is not 100 to 599
   */
  public <I, O> StubMeteringClient stubHttpResponse(Operation<I, O> operation, int status,
      Map<String, String> headers, String body) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100 to 599, was " + status);
    }
    Map<String, List<String>> multi = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    java.net.http.HttpHeaders httpHeaders = java.net.http.HttpHeaders.of(multi, (n, v) -> true);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    add(operation, request -> RawResponse.read(operation, status, httpHeaders, bytes));
    return this;
  }

  /**
   * Forgets everything stubbed and recorded.
   *
   * <pre>{@code
   * metering.reset();
   * }</pre>
   */
  public synchronized StubMeteringClient reset() {
    answers.clear();
    requests.clear();
    return this;
  }

  /**
   * Every request received, in order, with its operation.
   *
   * <pre>{@code
   * assertThat(metering.apiRequests()).extracting(ApiRequest::operation)
   *     .containsExactly(Operation.RESOLVE_CUSTOMER, Operation.BATCH_METER_USAGE);
   * }</pre>
   */
  public synchronized List<ApiRequest> apiRequests() {
    return List.copyOf(requests);
  }

  /**
   * The requests one operation received, in order, typed.
   *
   * <pre>{@code
   * List<MeterUsageRequest> sent = metering.apiRequests(Operation.METER_USAGE);
   * }</pre>
   */
  public synchronized <I> List<I> apiRequests(Operation<I, ?> operation) {
    return requests.stream()
        .filter(r -> r.operation() == operation)
        .map(r -> operation.requestType().cast(r.request()))
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * An asynchronous view of this stub: the same stubs and the same recorded requests, answered with
   * completed futures.
   *
   * <pre>{@code
   * MeteringAsyncClient async = metering.async();
   * async.meterUsage(request).join();
   * }</pre>
   */
  public MeteringAsyncClient async() {
    return new AsyncView();
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
    return answer(Operation.BATCH_METER_USAGE, request);
  }

  @Override
  public MeterUsageResponse meterUsage(MeterUsageRequest request) {
    return answer(Operation.METER_USAGE, request);
  }

  @Override
  public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
    return answer(Operation.REGISTER_USAGE, request);
  }

  @Override
  public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
    return answer(Operation.RESOLVE_CUSTOMER, request);
  }

  /**
   * Marks the stub closed: later calls fail as they would on a closed client.
   *
   * <pre>{@code
   * metering.close();
   * }</pre>
   */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * The default answer for a request when nothing is stubbed: {@code Success} with a random
   * MeteringRecordId for every record, a random MeteringRecordId, an unsigned JWT-shaped
   * signature, or a customer with account {@code 123456789012}.
   *
   * <pre>{@code
   * MeterUsageResponse response = StubMeteringClient.defaultResponse(Operation.METER_USAGE, request);
   * }</pre>
   */
  public static <I, O> O defaultResponse(Operation<I, O> operation, I request) {
    Object response;
    if (request instanceof BatchMeterUsageRequest batch) {
      response = new BatchMeterUsageResponse(batch.usageRecords().stream()
          .map(r -> UsageRecordResult.of(r, UUID.randomUUID().toString(), UsageRecordResultStatus.SUCCESS))
          .collect(Collectors.toList()), List.of());
    } else if (request instanceof MeterUsageRequest) {
      response = MeterUsageResponse.of(UUID.randomUUID().toString());
    } else if (request instanceof RegisterUsageRequest register) {
      response = new RegisterUsageResponse(Optional.empty(), Optional.of(unsignedJwt(register)));
    } else if (request instanceof ResolveCustomerRequest) {
      response = new ResolveCustomerResponse(Optional.empty(), Optional.of("stub-product-code"),
          Optional.of("123456789012"),
          Optional.of("arn:aws:license-manager::123456789012:license:l-0123456789abcdef0"));
    } else {
      throw new IllegalArgumentException("not a request of " + operation + ": " + request);
    }
    return operation.responseType().cast(response);
  }

  private static String unsignedJwt(RegisterUsageRequest request) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    String payload = "{\"productCode\":\"" + request.productCode() + "\",\"publicKeyVersion\":"
        + request.publicKeyVersion() + request.nonce().map(n -> ",\"nonce\":\"" + n.replace("\"", "\\\"") + "\"").orElse("")
        + ",\"iat\":" + Instant.now().getEpochSecond() + "}";
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".stub-signature";
  }

  private synchronized <I, O> void add(Operation<I, O> operation, Function<? super I, ? extends O> answer) {
    answers.computeIfAbsent(operation, op -> new Answers()).list.add(answer);
  }

  private <I, O> O answer(Operation<I, O> operation, I request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new MeteringClientException("The client is closed");
    }
    I sent = ClientRuntime.withClientToken(operation, request);
    Function<? super I, ? extends O> answer;
    synchronized (this) {
      requests.add(new ApiRequest(operation, sent));
      answer = next(operation);
    }
    if (answer == null) {
      return defaultResponse(operation, sent);
    }
    O response = answer.apply(sent);
    if (response == null) {
      throw new IllegalStateException("the stubbed answer for " + operation + " returned null");
    }
    return response;
  }

  @SuppressWarnings("unchecked")
  private <I, O> Function<? super I, ? extends O> next(Operation<I, O> operation) {
    Answers queue = answers.get(operation);
    if (queue == null || queue.list.isEmpty()) {
      return null;
    }
    int index = Math.min(queue.used++, queue.list.size() - 1);
    return (Function<? super I, ? extends O>) queue.list.get(index);
  }

  /**
   * One recorded request.
   *
   * <pre>{@code
   * ApiRequest first = metering.apiRequests().get(0);
   * first.operation(); // Operation.METER_USAGE
   * }</pre>
   *
   * @param operation the operation called
   * @param request the request as the client would send it
   */
  public record ApiRequest(Operation<?, ?> operation, Object request) {
    /** Checks the components. */
    public ApiRequest {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(request, "request");
    }
  }

  private static final class Answers {
    final List<Function<?, ?>> list = new ArrayList<>();
    int used;
  }

  private final class AsyncView implements MeteringAsyncClient {
    @Override
    public CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(BatchMeterUsageRequest request) {
      return call(() -> StubMeteringClient.this.batchMeterUsage(request));
    }

    @Override
    public CompletableFuture<MeterUsageResponse> meterUsage(MeterUsageRequest request) {
      return call(() -> StubMeteringClient.this.meterUsage(request));
    }

    @Override
    public CompletableFuture<RegisterUsageResponse> registerUsage(RegisterUsageRequest request) {
      return call(() -> StubMeteringClient.this.registerUsage(request));
    }

    @Override
    public CompletableFuture<ResolveCustomerResponse> resolveCustomer(ResolveCustomerRequest request) {
      return call(() -> StubMeteringClient.this.resolveCustomer(request));
    }

    @Override
    public void close() {
      StubMeteringClient.this.close();
    }

    private <O> CompletableFuture<O> call(java.util.function.Supplier<O> call) {
      try {
        return CompletableFuture.completedFuture(call.get());
      } catch (NullPointerException e) {
        throw e;
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
