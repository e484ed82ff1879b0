package io.meterbridge.server.http;

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
 * The stream a {@link PlainResponse.BodyWriter} writes to, on its own (blocking) thread: bytes
 * gather in a 32 KB array and go to the channel as one HTTP chunk each time it fills. The response
 * head goes with the first chunk, so a writer that fails before writing 32 KB can still be
 * answered with an error status.
 *
 * <p>Back-pressure: when the channel stops being writable (Netty's high-water mark of unsent
 * bytes), the writer waits until its last chunk has reached the socket, so at most the water mark
 * and one chunk are held per connection whatever the body's size. A client that reads nothing for
 * {@link #STALL_SECONDS} fails the write, as does a closed connection.
 */
final class StreamedBody extends OutputStream {
  static final int CHUNK = 32 * 1024;
  static final long STALL_SECONDS = 60;

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

  /** Whether the head (and so a status) was sent. */
  boolean started() {
    return started;
  }

  @Override
  public void write(int b) throws IOException {
    if (used == CHUNK) {
      send();
    }
    buffer[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (used == CHUNK) {
        send();
      }
      int n = Math.min(len, CHUNK - used);
      System.arraycopy(b, off, buffer, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  /** Sends what is buffered and the end of the body; returns when it is handed to the channel. */
  ChannelFuture finish() throws IOException {
    checkOpen();
    startIfNeeded();
    ByteBuf rest = ctx.alloc().buffer(used);
    rest.writeBytes(buffer, 0, used);
    used = 0;
    last = ctx.writeAndFlush(new DefaultLastHttpContent(rest));
    return last;
  }

  private void send() throws IOException {
    checkOpen();
    startIfNeeded();
    ByteBuf chunk = ctx.alloc().buffer(used);
    chunk.writeBytes(buffer, 0, used);
    used = 0;
    last = ctx.writeAndFlush(new DefaultHttpContent(chunk));
    if (!ctx.channel().isWritable()) {
      if (!last.awaitUninterruptibly(STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the client read nothing for " + STALL_SECONDS + " s");
      }
      if (!last.isSuccess()) {
        throw new IOException("the response could not be written: " + last.cause(), last.cause());
      }
    }
  }

  private void startIfNeeded() {
    if (!started) {
      started = true;
      ctx.write(head);
    }
  }

  private void checkOpen() throws IOException {
    if (!ctx.channel().isActive()) {
      throw new IOException("the client closed the connection");
    }
    if (last != null && last.isDone() && !last.isSuccess()) {
      throw new IOException("the response could not be written: " + last.cause(), last.cause());
    }
  }
}
