package io.meterbridge.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.meterbridge.exception.DisabledApiException;
import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.exception.UnknownOperationException;
import io.meterbridge.exception.ValidationException;
import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.server.CallContext;
import io.meterbridge.server.CallListener;
import io.meterbridge.server.Health;
import io.meterbridge.server.HealthCheck;
import io.meterbridge.server.MetricsText;
import io.meterbridge.server.Caller;
import io.meterbridge.server.Futures;
import io.meterbridge.server.MeteringService;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.auth.IncomingRequest;
import io.meterbridge.server.throttle.Throttler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON 1.1 protocol, free of Netty's channel machinery: checks method, path, content type
 * and target, authenticates, throttles, decodes, calls the {@link MeteringService} and turns every
 * result or failure into an {@link Answer}. The returned future never fails.
 *
 * <p>Order of checks: headers that must be single → route (method and path) → {@code Content-Type}
 * → {@code X-Amz-Target} → authentication → region switched off → quota (per account and region)
 * → body decoding and model constraints → the operation.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TARGETS = Operation.values().stream()
      .map(Operation::target).collect(Collectors.joining(", "));

  private final MeteringService service;
  private final Authenticator authenticator;
  private final Throttler throttler;
  private final Set<String> disabledRegions;
  private final PlainHandler plain;
  private final CallListener listener;
  private final HealthCheck health;
  private final MetricsText metrics; // null: /metrics is a 404

  /**
   * @param disabledRegions regions whose calls are answered {@code DisabledApiException}
   * @param plain answers {@code /admin/*} and {@code /keys/*}; {@link PlainHandler#NONE} for 404s
   */
  Dispatcher(MeteringService service, Authenticator authenticator, Throttler throttler, Set<String> disabledRegions,
      PlainHandler plain) {
    this(service, authenticator, throttler, disabledRegions, plain, CallListener.NONE, HealthCheck.ALWAYS_UP, null);
  }

  /**
   * @param listener told about every answered request, on the connection's event loop
   * @param health answers {@code /health}
   * @param metrics answers {@code GET /metrics}; null for none (404)
   */
  Dispatcher(MeteringService service, Authenticator authenticator, Throttler throttler, Set<String> disabledRegions,
      PlainHandler plain, CallListener listener, HealthCheck health, MetricsText metrics) {
    this.metrics = metrics;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.health = Objects.requireNonNull(health, "health");
    this.service = Objects.requireNonNull(service, "service");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.throttler = Objects.requireNonNull(throttler, "throttler");
    this.disabledRegions = Set.copyOf(disabledRegions);
    this.plain = Objects.requireNonNull(plain, "plain");
  }

  CallListener listener() {
    return listener;
  }

  CompletableFuture<Answer> dispatch(ReceivedRequest request) {
    try {
      String uri = request.uri();
      CharSequence twice = SingleHeaders.repeated(request.headers());
      // POST / (the hot path) is one length check away from here.
      if (uri.length() > 1 && PlainHandler.routes(request.path())) {
        request.facts().operation = request.method() + " " + request.path();
        if (twice != null) {
          return CompletableFuture.completedFuture(new Answer.Plain(PlainResponse.error(400, "InvalidRequest",
              SingleHeaders.message(twice))));
        }
        return plain(request);
      }
      if (twice != null) {
        return CompletableFuture.completedFuture(SingleHeaders.refusal(twice));
      }
      if (metrics != null && request.path().equals("/metrics")) {
        request.facts().operation = request.method() + " /metrics";
        return metrics(request);
      }
      Answer refused = checkRoute(request);
      if (refused != null) {
        request.facts().operation = request.method() + " " + request.path();
        return refused instanceof Answer.Json ? health() : CompletableFuture.completedFuture(refused);
      }
      // Until the target is known, the call is recorded as what it is: POST / (with the key it claims).
      request.facts().operation = request.method() + " " + request.path();
      request.facts().accessKeyId = accessKeyId(request.headers());
      Operation<?, ?> operation = operation(request.headers());
      request.facts().api = true;
      request.facts().operation = operation.name();
      IncomingRequest incoming = new IncomingRequest(request.method(), request.uri(),
          new NettyHeaders(request.headers()), request.body(), request.receivedAt());
      CompletionStage<Caller> caller = authenticator.authenticate(incoming);
      if (caller == null) {
        throw new IllegalStateException("authenticator " + authenticator + " returned null");
      }
      return caller.toCompletableFuture()
          .thenCompose(who -> call(operation, request, who))
          .handle((outcome, failure) -> failure == null ? outcome : failed(request, failure));
    } catch (Throwable failure) {
      return CompletableFuture.completedFuture(failed(request, failure));
    }
  }

  private CompletableFuture<Answer> plain(ReceivedRequest request) {
    PlainRequest plainRequest;
    try {
      plainRequest = new PlainRequest(request);
    } catch (IllegalArgumentException e) { // bad percent-encoding in the path or query
      return CompletableFuture.completedFuture(new Answer.Plain(PlainResponse.error(400, "InvalidRequest",
          "Malformed request URI: " + e.getMessage())));
    }
    CompletableFuture<PlainResponse> answer;
    try {
      answer = plain.handle(plainRequest);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    if (answer == null) {
      answer = CompletableFuture.failedFuture(new IllegalStateException("the plain handler returned no future"));
    }
    return answer.handle((response, failure) -> {
      if (failure == null && response != null) {
        return new Answer.Plain(response);
      }
      LOG.error("Request {} ({} {}) failed", request.requestId(), request.method(), request.uri(),
          failure == null ? new IllegalStateException("the plain handler completed with no response") : Futures.unwrap(failure));
      return new Answer.Plain(PlainResponse.error(500, "InternalError",
          "An internal error occurred (request id " + request.requestId() + ")"));
    });
  }

  /** An answer for requests that are not {@code POST /} (or a health check); null to go on. */
  private static Answer checkRoute(ReceivedRequest request) {
    String path = request.path();
    String method = request.method();
    if (path.equals("/health")) {
      if (method.equals("GET") || method.equals("HEAD")) {
        return new Answer.Json(200, new byte[0]); // answered by health()
      }
      return new Answer.Failure(405, UnknownOperationException.CODE,
          "Method " + method + " is not allowed on /health: use GET").allow("GET, HEAD");
    }
    if (!path.equals("/")) {
      return new Answer.Failure(404, UnknownOperationException.CODE, "No resource at " + path
          + ": AWS JSON 1.1 requests are POST / with an X-Amz-Target header");
    }
    if (!method.equals(HttpMethod.POST.name())) {
      return new Answer.Failure(405, UnknownOperationException.CODE, "Method " + method
          + " is not allowed: AWS JSON 1.1 requests are POST / with an X-Amz-Target header").allow("POST");
    }
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null && !isJson(contentType)) {
      return new Answer.Failure(400, SerializationException.CODE, "Unsupported Content-Type '" + contentType
          + "': send application/x-amz-json-1.1");
    }
    return null;
  }

  private CompletableFuture<Answer> metrics(ReceivedRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return CompletableFuture.completedFuture(new Answer.Plain(PlainResponse.error(405, "MethodNotAllowed",
          "Method " + request.method() + " is not allowed on /metrics: use GET").withHeader("Allow", "GET, HEAD")));
    }
    CompletableFuture<String> text;
    try {
      text = metrics.scrape();
    } catch (RuntimeException e) {
      text = CompletableFuture.failedFuture(e);
    }
    return text.handle((body, failure) -> {
      if (failure != null) {
        LOG.error("Request {}: the metrics scrape failed", request.requestId(), Futures.unwrap(failure));
        return new Answer.Plain(PlainResponse.error(500, "InternalError", "The metrics scrape failed; see the server log"));
      }
      return new Answer.Plain(PlainResponse.of(200, PROMETHEUS_TEXT, body.getBytes(StandardCharsets.UTF_8))
          .withHeader("Cache-Control", "no-store"));
    });
  }

  /** {@code /health}: 200 {@code {"status":"UP","database":"UP"}}, or 503 with the database's trouble. */
  private CompletableFuture<Answer> health() {
    CompletableFuture<Health> check;
    try {
      check = health.check();
    } catch (RuntimeException e) {
      check = CompletableFuture.completedFuture(Health.down(e.toString()));
    }
    return check.handle((h, failure) -> {
      Health result = failure != null ? Health.down(Futures.unwrap(failure).toString()) : h;
      StringBuilder body = new StringBuilder(64).append("{\"status\":\"").append(result.up() ? "UP" : "DOWN")
          .append('"');
      if (!result.database().isEmpty()) {
        body.append(",\"database\":\"").append(result.database()).append('"');
      }
      if (!result.message().isEmpty()) {
        body.append(",\"message\":\"")
            .append(JsonStringEncoder.getInstance().quoteAsString(result.message())).append('"');
      }
      body.append('}');
      return new Answer.Json(result.up() ? 200 : 503, body.toString().getBytes(StandardCharsets.UTF_8));
    });
  }

  /**
   * Whether a media type can carry the JSON body. Lenient as AWS is: a missing Content-Type, the
   * JSON 1.0 type and plain JSON are accepted besides {@code application/x-amz-json-1.1}.
   */
  private static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    return type.isEmpty() || type.equals("application/x-amz-json-1.1") || type.equals("application/x-amz-json-1.0")
        || type.equals("application/json") || type.endsWith("+json");
  }

  private static Operation<?, ?> operation(HttpHeaders headers) {
    String target = headers.get("X-Amz-Target");
    if (target == null || target.isBlank()) {
      throw new UnknownOperationException("Missing X-Amz-Target header: expected one of " + TARGETS);
    }
    return Operation.fromTarget(target.strip()).orElseThrow(() -> new UnknownOperationException(
        "Unknown operation '" + target + "': expected one of " + TARGETS));
  }

  private CompletableFuture<Answer> call(Operation<?, ?> operation, ReceivedRequest request, Caller caller) {
    if (caller == null) {
      throw new IllegalStateException("authenticator " + authenticator + " completed with no caller");
    }
    request.facts().accountId = caller.accountId();
    request.facts().accessKeyId = caller.accessKeyId();
    String region = caller.region();
    if (!disabledRegions.isEmpty() && disabledRegions.contains(region)) {
      throw new DisabledApiException("The API is disabled in the Region " + region + " on this server; call a Region "
          + "it serves");
    }
    if (!throttler.tryAcquire(caller.accountId(), region, operation)) {
      throw new ThrottlingException("Rate exceeded");
    }
    Object input = decode(operation, request);
    request.facts().records = records(input);
    CallContext context = new CallContext(request.requestId(), caller, request.receivedAt());
    return invoke(operation, context, input);
  }

  /** The usage records a decoded request carries. */
  private static int records(Object input) {
    if (input instanceof BatchMeterUsageRequest batch) {
      return batch.usageRecords().size();
    }
    return input instanceof MeterUsageRequest ? 1 : 0;
  }

  /**
   * The access key id of the {@code Authorization} header's credential, before the signature is
   * checked, so that a refused call is recorded with the key it claimed; empty if there is none.
   */
  static String accessKeyId(HttpHeaders headers) {
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization == null) {
      return "";
    }
    int credential = authorization.indexOf("Credential=");
    if (credential < 0) {
      return "";
    }
    int start = credential + "Credential=".length();
    int end = start;
    // An access key id is upper-case letters and digits; stop at anything else, so that no other
    // part of the header can end up in the audit trail.
    while (end < authorization.length() && end - start < 128 && Character.isLetterOrDigit(authorization.charAt(end))) {
      end++;
    }
    return authorization.substring(start, end);
  }

  private static Object decode(Operation<?, ?> operation, ReceivedRequest request) {
    byte[] body = request.body();
    try {
      return JsonCodec.decodeRequest(operation, body, 0, body.length);
    } catch (SerializationException | InvalidRequestException e) {
      throw e;
    } catch (RuntimeException e) {
      // Whatever the codec trips over, the body is at fault: never a 500 for it, and a client's
      // mistake is no reason to fill the log (one line, at DEBUG).
      LOG.debug("Request {}: unreadable {} body: {}", request.requestId(), operation, e.toString());
      throw new SerializationException("Could not read the " + operation + " request body");
    }
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<Answer> invoke(Operation<?, ?> operation, CallContext context, Object input) {
    if (operation == Operation.BATCH_METER_USAGE) {
      return complete(Operation.BATCH_METER_USAGE, service.batchMeterUsage(context, (BatchMeterUsageRequest) input));
    }
    if (operation == Operation.METER_USAGE) {
      return complete(Operation.METER_USAGE, service.meterUsage(context, (MeterUsageRequest) input));
    }
    if (operation == Operation.REGISTER_USAGE) {
      return complete(Operation.REGISTER_USAGE, service.registerUsage(context, (RegisterUsageRequest) input));
    }
    if (operation == Operation.RESOLVE_CUSTOMER) {
      return complete(Operation.RESOLVE_CUSTOMER, service.resolveCustomer(context, (ResolveCustomerRequest) input));
    }
    throw new IllegalStateException("unknown operation " + operation);
  }

  private static <O> CompletableFuture<Answer> complete(Operation<?, O> operation, CompletableFuture<O> result) {
    if (result == null) {
      throw new IllegalStateException("the service returned no future for " + operation);
    }
    return result.thenApply(response -> {
      if (response == null) {
        throw new IllegalStateException("the service completed " + operation + " with no response");
      }
      return new Answer.Success<>(operation, response);
    });
  }

  private static Answer failed(ReceivedRequest request, Throwable failure) {
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof DroppedConnection) {
      return new Answer.Dropped();
    }
    if (cause instanceof MeteringServiceException e) {
      return new Answer.Failure(e);
    }
    if (cause instanceof InvalidRequestException e) {
      return new Answer.Failure(400, ValidationException.CODE, e.getMessage());
    }
    LOG.error("Request {} ({} {}) failed", request.requestId(), request.method(), request.uri(), cause);
    return new Answer.Failure(500, InternalServiceErrorException.CODE,
        "An internal error occurred. Retry your request. (request id " + request.requestId() + ")");
  }

  /** Netty's headers seen through the authenticator's interface, without copying. */
  private record NettyHeaders(HttpHeaders headers) implements IncomingRequest.Headers {
    @Override
    public Optional<String> first(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    @Override
    public List<String> all(String name) {
      return List.copyOf(headers.getAll(name));
    }

    @Override
    public Set<String> names() {
      Set<String> names = new LinkedHashSet<>();
      for (String name : headers.names()) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
      return names;
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
      for (var it = headers.iteratorAsString(); it.hasNext(); ) {
        Map.Entry<String, String> header = it.next();
        action.accept(header.getKey(), header.getValue());
      }
    }
  }
}
