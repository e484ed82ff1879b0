package io.meterbridge.server.http;

import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.exception.ValidationException;
import io.meterbridge.server.CallListener;
import io.meterbridge.server.CallRecord;
import io.meterbridge.server.RandomUuids;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one connection's pipeline: hands each complete request to the {@link Dispatcher} and
 * writes the answer when its future completes, on the connection's event loop.
 *
 * <p>Answers keep the order of requests (HTTP/1.1 pipelining): while a call is in flight, further
 * requests wait in line and reading pauses, which also pushes back on a client that sends faster
 * than calls complete.
 */
final class ProtocolHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);

  private final Dispatcher dispatcher;
  private final CallListener listener;
  private final ConnectionState state;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private boolean paused;
  private String source;

  ProtocolHandler(Dispatcher dispatcher, ConnectionState state) {
    this.dispatcher = dispatcher;
    this.listener = dispatcher.listener();
    this.state = state;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Object item;
    if (msg instanceof FullHttpRequest request) {
      try {
        item = receive(request);
      } finally {
        request.release();
      }
    } else if (msg instanceof Refusal refusal) {
      item = refusal;
    } else {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (state.busy) {
      waiting.add(item);
      if (!paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      start(item);
    }
  }

  private static Object receive(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        return new Refusal(414, ValidationException.CODE, "The request line is too long");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return new Refusal(431, ValidationException.CODE, "The request headers are too large");
      }
      return new Refusal(400, SerializationException.CODE, "Malformed HTTP request: " + cause.getMessage());
    }
    // Copied out of the pooled buffer so the call can outlive it on any thread.
    byte[] body = ByteBufUtil.getBytes(request.content());
    return new ReceivedRequest(RandomUuids.requestId(), request.method().name(), request.uri(), request.headers(), body,
        Instant.now(), HttpUtil.isKeepAlive(request), request.protocolVersion().equals(HttpVersion.HTTP_1_0),
        System.nanoTime(), new CallFacts());
  }

  private void start(Object item) {
    state.busy = true;
    if (item instanceof Refusal refusal) {
      String requestId = RandomUuids.requestId();
      listener.completed(new CallRecord(Instant.now(), requestId, false, "", "", "", source(), refusal.status(),
          refusal.errorCode(), 0, 0, null));
      write(Responses.of(new Answer.Failure(refusal.status(), refusal.errorCode(), refusal.message()),
          requestId, ctx.alloc()), false, false);
      return;
    }
    ReceivedRequest request = (ReceivedRequest) item;
    CompletableFuture<Answer> future = dispatcher.dispatch(request);
    if (future.isDone() && ctx.executor().inEventLoop()) {
      respond(request, future.getNow(null));
    } else {
      future.whenComplete((answer, failure) -> {
        if (ctx.executor().inEventLoop()) {
          respond(request, answer);
        } else {
          ctx.executor().execute(() -> respond(request, answer));
        }
      });
    }
  }

  private void respond(ReceivedRequest request, Answer answer) {
    observe(request, answer);
    if (!ctx.channel().isActive() || answer instanceof Answer.Dropped) {
      state.busy = false;
      waiting.clear();
      ctx.close();
      return;
    }
    if (answer instanceof Answer.Plain plain && plain.response().isStreamed()) {
      stream(request, plain.response());
      return;
    }
    FullHttpResponse response;
    try {
      response = Responses.of(answer == null ? internalError(request) : answer, request.requestId(), ctx.alloc());
    } catch (RuntimeException e) {
      LOG.error("Request {}: could not encode the {} response", request.requestId(), answer, e);
      response = Responses.of(internalError(request), request.requestId(), ctx.alloc());
    }
    write(response, request.keepAlive() && !state.draining, request.http10());
  }

  /**
   * Sends a streamed body: its writer runs on its own executor and writes through a
   * {@link StreamedBody}; the connection stays busy (the next pipelined request waits, reading
   * stays paused) until the last chunk is handed to the channel. HTTP/1.0 has no chunks: the body
   * is sent as it comes and the connection closed after it.
   */
  private void stream(ReceivedRequest request, PlainResponse response) {
    boolean keepAlive = request.keepAlive() && !state.draining && !request.http10();
    HttpResponse head = Responses.head(response, request.requestId());
    if (keepAlive) {
      HttpUtil.setTransferEncodingChunked(head, true);
    } else {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    StreamedBody body = new StreamedBody(ctx, head);
    Runnable work = () -> {
      ChannelFuture written;
      try {
        response.stream().writeTo(body);
        written = body.finish();
      } catch (Throwable failure) {
        if (body.started()) {
          LOG.warn("Request {}: streamed response stopped: {}", request.requestId(), failure.toString());
          ctx.executor().execute(() -> {
            state.busy = false;
            waiting.clear();
            ctx.close();
          });
        } else {
          LOG.error("Request {}: streamed response failed before its first byte", request.requestId(), failure);
          ctx.executor().execute(() -> write(Responses.of(internalError(request), request.requestId(), ctx.alloc()),
              keepAlive, request.http10()));
        }
        return;
      }
      ctx.executor().execute(() -> next(written, keepAlive));
    };
    try {
      response.streamExecutor().execute(work);
    } catch (RejectedExecutionException e) {
      write(Responses.of(new Answer.Plain(PlainResponse.error(503, "Busy", "The server is busy; retry shortly")),
          request.requestId(), ctx.alloc()), keepAlive, request.http10());
    }
  }

  /** Tells the listener about the call: its answer is ready, whatever becomes of sending it. */
  private void observe(ReceivedRequest request, Answer answer) {
    CallFacts facts = request.facts();
    int status = answer == null ? 500 : answer.status();
    String errorCode = answer instanceof Answer.Failure f ? f.errorCode()
        : answer == null ? InternalServiceErrorException.CODE : "";
    listener.completed(new CallRecord(request.receivedAt(), request.requestId(), facts.api, facts.operation, facts.accountId, facts.accessKeyId, source(), status,
        errorCode, facts.records, System.nanoTime() - request.receivedNanos(),
        answer instanceof Answer.Success<?> success ? success.response() : null));
  }

  /** The client's IP address, looked up once per connection. */
  private String source() {
    if (source == null) {
      source = ctx.channel().remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
          ? address.getAddress().getHostAddress() : "";
    }
    return source;
  }

  private void write(FullHttpResponse response, boolean keepAlive, boolean http10) {
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    next(ctx.writeAndFlush(response), keepAlive);
  }

  /** After a response was handed to the channel: close, or start the next request in line. */
  private void next(ChannelFuture written, boolean keepAlive) {
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      waiting.clear();
      return;
    }
    Object next = waiting.poll();
    if (next != null) {
      // Still busy, so nothing read meanwhile overtakes it; not called directly, so that a long
      // line of pipelined requests cannot grow the stack.
      ctx.executor().execute(() -> {
        if (ctx.channel().isActive()) {
          start(next);
        }
      });
      return;
    }
    state.busy = false;
    if (paused) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
    if (state.draining && state.idle()) {
      ctx.close();
    }
  }

  private static Answer internalError(ReceivedRequest request) {
    return new Answer.Failure(500, InternalServiceErrorException.CODE,
        "An internal error occurred. Retry your request. (request id " + request.requestId() + ")");
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof Drain) {
      state.draining = true;
      if (state.idle() && waiting.isEmpty()) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
        || cause instanceof SSLException
        || (cause instanceof DecoderException && cause.getCause() instanceof SSLException)) {
      // The client went away, perhaps mid-request, or spoke bad TLS (a DecoderException wraps what
      // the TLS handler could not read): its business, not an error of ours, and one line at most.
      LOG.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("Connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
