package io.meterbridge.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts of one connection: closes it when idle (no request being received or answered when
 * the {@link io.netty.handler.timeout.IdleStateHandler} fires), and refuses a request with 408
 * when its headers and body take longer than the read timeout to arrive (slow or stalled clients).
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private final ConnectionState state;
  private final long readTimeoutNanos;
  private ScheduledFuture<?> deadline;

  ConnectionGuard(ConnectionState state, Duration readTimeout) {
    this.state = state;
    this.readTimeoutNanos = readTimeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      state.receiving = true;
      cancel();
      deadline = ctx.executor().schedule(() -> timedOut(ctx), readTimeoutNanos, TimeUnit.NANOSECONDS);
    }
    if (msg instanceof LastHttpContent) {
      state.receiving = false;
      cancel();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (state.idle()) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private void timedOut(ChannelHandlerContext ctx) {
    deadline = null;
    if (state.receiving && ctx.channel().isActive()) {
      state.receiving = false;
      ctx.channel().config().setAutoRead(false);
      ctx.fireChannelRead(new Refusal(408, "RequestTimeoutException",
          "The request was not received in full within " + Duration.ofNanos(readTimeoutNanos).toMillis() + " ms"));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
