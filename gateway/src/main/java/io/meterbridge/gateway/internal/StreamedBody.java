package io.meterbridge.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The stream a streamed {@link HttpFront.Response} is written to, on a worker thread: 32 KB chunks,
 * the response head sent with the first (so a failure before it can still be answered with an
 * error status), and back-pressure: while the channel is not writable the writer waits for its
 * last chunk to reach the socket, so a connection holds at most Netty's high-water mark and a
 * chunk. A client that reads nothing for a minute, or goes away, fails the write.
 */
final class StreamedBody extends OutputStream {
  private static final int CHUNK = 32 * 1024;
  private static final long STALL_SECONDS = 60;

  private final ChannelHandlerContext ctx;
  private final HttpResponse head;
  private final byte[] buffer = new byte[CHUNK];
  private int used;
  private boolean started;
  private ChannelFuture last;

  StreamedBody(ChannelHandlerContext ctx, HttpResponse head) {
    this.ctx = ctx;
    this.head = head;
  }

  boolean started() {
    return started;
  }

  @Override
  public void write(int b) throws IOException {
    if (used == CHUNK) {
      send(false);
    }
    buffer[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (used == CHUNK) {
        send(false);
      }
      int n = Math.min(len, CHUNK - used);
      System.arraycopy(b, off, buffer, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  /** Sends the rest and the end of the body. */
  ChannelFuture finish() throws IOException {
    send(true);
    return last;
  }

  private void send(boolean end) throws IOException {
    if (!ctx.channel().isActive()) {
      throw new IOException("the client closed the connection");
    }
    if (last != null && last.isDone() && !last.isSuccess()) {
      throw new IOException("the response could not be written: " + last.cause(), last.cause());
    }
    if (!started) {
      started = true;
      ctx.write(head);
    }
    ByteBuf chunk = ctx.alloc().buffer(used);
    chunk.writeBytes(buffer, 0, used);
    used = 0;
    last = ctx.writeAndFlush(end ? new DefaultLastHttpContent(chunk) : new DefaultHttpContent(chunk));
    if (!end && !ctx.channel().isWritable()) {
      if (!last.awaitUninterruptibly(STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the client read nothing for " + STALL_SECONDS + " s");
      }
      if (!last.isSuccess()) {
        throw new IOException("the response could not be written: " + last.cause(), last.cause());
      }
    }
  }
}
