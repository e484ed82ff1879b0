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
 * Timeouts of one connection:
 * <ul>
 *   <li><b>request head</b>: the request line and headers must be complete within the head timeout
 *       of the connection's opening, or of the first byte of a later request, however steadily
 *       they trickle in (an idle timer that restarts on every byte would let a header sent a byte
 *       every few seconds hold the connection for ever). Then 408 if anything arrived, and the
 *       connection is closed;
 *   <li><b>request</b>: headers and body within the read timeout of the head, or 408 (slow or
 *       stalled bodies);
 *   <li><b>idle</b>: a connection with nothing being received or answered when the
 *       {@link io.netty.handler.timeout.IdleStateHandler} fires is closed.
 * </ul>
 *
 * <p>The head deadline costs no timer per request: one check is scheduled per connection and, when
 * it fires while a head is still arriving, rescheduled for the time that head has left; between
 * requests nothing is scheduled.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private final ConnectionState state;
  private final long readTimeoutNanos;
  private final long headTimeoutNanos;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> deadline;
  /** When the head being received began (System.nanoTime), or 0 when none is. */
  private long headSince;
  private boolean headBytes;
  private ScheduledFuture<?> headCheck;

  ConnectionGuard(ConnectionState state, Duration readTimeout, Duration headTimeout) {
    this.state = state;
    this.readTimeoutNanos = readTimeout.toNanos();
    this.headTimeoutNanos = headTimeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    // The first head is due from the connection's opening: connecting and sending nothing, or
    // stalling in the TLS handshake, counts against it too.
    startHead();
    super.channelActive(ctx);
  }

  /** Bytes arrived (before the codec); between requests, they begin the next head. */
  void bytesArrived() {
    if (!state.receiving) {
      headBytes = true;
      if (headSince == 0) {
        startHead();
      }
    }
  }

  private void startHead() {
    headSince = System.nanoTime() | 1; // never 0, which means no head
    if (headCheck == null) {
      headCheck = ctx.executor().schedule(this::checkHead, headTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkHead() {
    headCheck = null;
    if (headSince == 0 || !ctx.channel().isActive()) {
      return;
    }
    long left = headTimeoutNanos - (System.nanoTime() - headSince);
    if (left > 0) {
      headCheck = ctx.executor().schedule(this::checkHead, left, TimeUnit.NANOSECONDS);
      return;
    }
    headSince = 0;
    ctx.channel().config().setAutoRead(false);
    if (!headBytes) {
      ctx.close(); // nothing was sent: nobody to answer
      return;
    }
    state.receiving = false;
    ctx.fireChannelRead(new Refusal(408, "RequestTimeoutException", "The request line and headers were not received"
        + " within " + Duration.ofNanos(headTimeoutNanos).toMillis() + " ms"));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      headSince = 0;
      headBytes = false;
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
    cancelAll();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelAll();
  }

  private void cancelAll() {
    cancel();
    headSince = 0;
    if (headCheck != null) {
      headCheck.cancel(false);
      headCheck = null;
    }
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
