package io.meterbridge.gateway.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's HTTP/1.1 listener on Netty: request line and headers bounded, bodies up to {@link
 * #MAX_BODY} (larger: 413 from the aggregator, before the body is read when the client sends
 * {@code Expect: 100-continue}), idle connections closed after a minute, keep-alive, and answers in
 * request order when a client pipelines (one request per connection at a time, the rest wait).
 * Handlers return futures and never block the event loop.
 */
final class HttpFront implements AutoCloseable {
  /** The largest body accepted: 1 MB. */
  static final int MAX_BODY = 1 << 20;
  private static final int IDLE_SECONDS = 60;
  private static final long GRACE_MS = 5_000;

  /** A request as the routes see it. */
  record Request(String method, String path, Map<String, List<String>> query, Optional<String> authorization,
      byte[] body, Map<String, String> headers) {
    Request(String method, String path, Map<String, List<String>> query, Optional<String> authorization, byte[] body) {
      this(method, path, query, authorization, body, Map.of());
    }

    /** A header's first value; names in lower case. */
    Optional<String> header(String lowerCaseName) {
      return Optional.ofNullable(headers.get(lowerCaseName));
    }

    Optional<String> param(String name) {
      List<String> v = query.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  /**
   * An answer: status, JSON body (or a streamed body, when {@code stream} is set: written by it on
   * {@code streamExecutor} as it is sent), extra headers ({@code Content-Type} among them overrides
   * JSON).
   */
  record Response(int status, byte[] body, Map<String, String> headers, BodyWriter stream,
      java.util.concurrent.Executor streamExecutor) {
    static Response json(int status, byte[] body) {
      return new Response(status, body, Map.of(), null, null);
    }

    static Response streamed(int status, java.util.concurrent.Executor executor, BodyWriter writer) {
      return new Response(status, new byte[0], Map.of(), writer, executor);
    }

    Response withHeader(String name, String value) {
      Map<String, String> more = new java.util.LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, body, more, stream, streamExecutor);
    }
  }

  /** Writes a streamed body; it may block (a database cursor), and the client's pace blocks it. */
  interface BodyWriter {
    void writeTo(java.io.OutputStream out) throws java.io.IOException;
  }

  /** Answers requests; never blocks. */
  interface Handler {
    CompletableFuture<Response> handle(Request request);
  }

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ChannelGroup channels;
  private final Channel listener;

  private HttpFront(EventLoopGroup boss, EventLoopGroup workers, ChannelGroup channels, Channel listener) {
    this.boss = boss;
    this.workers = workers;
    this.channels = channels;
    this.listener = listener;
  }

  static HttpFront start(String bind, int port, Handler handler) {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("gateway-accept", true))
        : new NioEventLoopGroup(1, new DefaultThreadFactory("gateway-accept", true));
    int threads = Runtime.getRuntime().availableProcessors();
    EventLoopGroup workers = epoll ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("gateway-io", true))
        : new NioEventLoopGroup(threads, new DefaultThreadFactory("gateway-io", true));
    Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ChannelGroup channels = new DefaultChannelGroup("gateway-connections", GlobalEventExecutor.INSTANCE);
    try {
      Channel listener = new ServerBootstrap()
          .group(boss, workers)
          .channel(type)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              channels.add(ch);
              ch.pipeline()
                  .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                  .addLast(new HttpServerCodec(4096, 16384, 16384))
                  .addLast(new BodyLimit())
                  .addLast(new RequestHandler(handler));
            }
          })
          .bind(bind, port)
          .syncUninterruptibly()
          .channel();
      return new HttpFront(boss, workers, channels, listener);
    } catch (Exception e) { // Netty rethrows a checked bind failure undeclared
      boss.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      String message = "could not listen on " + bind + ":" + port + ": " + e.getMessage();
      throw e instanceof java.io.IOException io ? new UncheckedIOException(message, io)
          : new IllegalStateException(message, e);
    }
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops accepting, lets requests in flight answer for a few seconds, then closes everything. */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    long until = System.currentTimeMillis() + GRACE_MS;
    while (System.currentTimeMillis() < until
        && channels.stream().anyMatch(c -> c.pipeline().get(RequestHandler.class) != null
            && c.pipeline().get(RequestHandler.class).busy)) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  /**
   * The body limit, answered in the gateway's JSON error shape rather than Netty's empty 413: at
   * once from {@code Content-Length} (instead of the 100 when the client sent {@code Expect:
   * 100-continue}), or as soon as a chunked body grows past the limit. On a kept-alive connection
   * the rest of the body is read and dropped (closing while the client still sends would reset the
   * connection before it reads the answer); otherwise the connection closes after the answer.
   */
  private static final class BodyLimit extends HttpObjectAggregator {
    BodyLimit() {
      super(MAX_BODY, true);
    }

    @Override
    protected Object newContinueResponse(io.netty.handler.codec.http.HttpMessage start, int maxContentLength,
        io.netty.channel.ChannelPipeline pipeline) {
      Object response = super.newContinueResponse(start, maxContentLength, pipeline);
      if (response instanceof FullHttpResponse full
          && full.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
        full.release();
        return tooLarge();
      }
      return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage m) {
      if (HttpUtil.isKeepAlive(m)) {
        ctx.writeAndFlush(tooLarge(false));
      } else {
        ctx.writeAndFlush(tooLarge(true)).addListener(ChannelFutureListener.CLOSE);
      }
    }

    private static FullHttpResponse tooLarge() {
      return tooLarge(false);
    }

    private static FullHttpResponse tooLarge(boolean close) {
      byte[] body = Routes.error(413, "RequestTooLarge", "The body is larger than " + MAX_BODY
          + " bytes: send at most 1,000 events and 1 MB a call").body();
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          Unpooled.wrappedBuffer(body));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      if (close) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      return r;
    }
  }

  /** One connection: requests answered one at a time, in order. */
  private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final int MAX_WAITING = 16;
    private final Handler handler;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    volatile boolean busy;

    RequestHandler(Handler handler) {
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      waiting.add(request.retain());
      if (waiting.size() >= MAX_WAITING) {
        ctx.channel().config().setAutoRead(false); // a pipelining client waits for answers
      }
      if (!busy) {
        next(ctx);
      }
    }

    private void next(ChannelHandlerContext ctx) {
      FullHttpRequest request = waiting.poll();
      if (request == null) {
        ctx.channel().config().setAutoRead(true);
        return;
      }
      busy = true;
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      CompletableFuture<Response> answer;
      try {
        if (request.decoderResult().isFailure()) {
          answer = CompletableFuture.completedFuture(Routes.error(400, "InvalidRequest",
              "Malformed HTTP request: " + request.decoderResult().cause().getMessage()));
          keepAlive = false;
        } else {
          answer = handler.handle(toRequest(request));
        }
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      } finally {
        request.release();
      }
      boolean close = !keepAlive;
      answer.whenComplete((response, failure) -> ctx.executor().execute(() -> {
        Response r = failure == null && response != null ? response
            : Routes.error(500, "InternalError", "An internal error occurred; see the gateway's log");
        if (failure != null) {
          System.getLogger(HttpFront.class.getName()).log(System.Logger.Level.ERROR, "request failed", failure);
        }
        if (r.stream() != null) {
          stream(ctx, r, close);
          return;
        }
        write(ctx, r, close);
        done(ctx, close);
      }));
    }

    private void done(ChannelHandlerContext ctx, boolean close) {
      busy = false;
      if (close) {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
      } else {
        next(ctx);
      }
    }

    /**
     * Sends a streamed response with chunked encoding; the connection stays busy (the next request
     * waits) until the last chunk is handed to the channel. A failure before the first chunk is a
     * 500; after it, the connection is closed mid-body.
     */
    private void stream(ChannelHandlerContext ctx, Response r, boolean close) {
      io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      r.headers().forEach(head.headers()::set);
      HttpUtil.setTransferEncodingChunked(head, true);
      if (close) {
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      StreamedBody body = new StreamedBody(ctx, head);
      Runnable work = () -> {
        io.netty.channel.ChannelFuture written;
        try {
          r.stream().writeTo(body);
          written = body.finish();
        } catch (Throwable failure) {
          System.getLogger(HttpFront.class.getName()).log(System.Logger.Level.WARNING,
              "streamed response failed: " + failure);
          ctx.executor().execute(() -> {
            if (body.started()) {
              busy = false;
              ctx.close();
            } else {
              write(ctx, Routes.error(500, "InternalError", "An internal error occurred; see the gateway's log"), close);
              done(ctx, close);
            }
          });
          return;
        }
        ctx.executor().execute(() -> {
          if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
          }
          done(ctx, close);
        });
      };
      try {
        r.streamExecutor().execute(work);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        write(ctx, Routes.error(503, "Busy", "The gateway is busy; retry shortly").withHeader("Retry-After", "1"), close);
        done(ctx, close);
      }
    }

    private static Request toRequest(FullHttpRequest request) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      byte[] body = new byte[request.content().readableBytes()];
      request.content().getBytes(request.content().readerIndex(), body);
      Map<String, String> headers = new java.util.HashMap<>();
      for (io.netty.util.AsciiString name : List.of(HttpHeaderNames.COOKIE, HttpHeaderNames.ORIGIN,
          HttpHeaderNames.HOST, HttpHeaderNames.CONTENT_TYPE)) {
        String value = request.headers().get(name);
        if (value != null) {
          headers.put(name.toString(), value);
        }
      }
      return new Request(request.method().name(), uri.path(), uri.parameters(),
          Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)), body, headers);
    }

    private static void write(ChannelHandlerContext ctx, Response r, boolean close) {
      ByteBuf content = Unpooled.wrappedBuffer(r.body());
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(r.status()), content);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      r.headers().forEach(response.headers()::set);
      if (close) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.writeAndFlush(response);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent && !busy) {
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      waiting.forEach(FullHttpRequest::release);
      waiting.clear();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset connection, most often; nothing to answer
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
