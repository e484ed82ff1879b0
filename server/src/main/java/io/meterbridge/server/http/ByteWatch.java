package io.meterbridge.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP codec and tells the {@link ConnectionGuard} when the bytes of a new request
 * begin to arrive, which the codec does not say until the head is complete: that is when the
 * request head's deadline starts on a kept-alive connection.
 */
final class ByteWatch extends ChannelInboundHandlerAdapter {
  private final ConnectionGuard guard;

  ByteWatch(ConnectionGuard guard) {
    this.guard = guard;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    guard.bytesArrived();
    ctx.fireChannelRead(msg);
  }
}
