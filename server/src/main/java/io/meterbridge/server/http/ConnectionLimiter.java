package io.meterbridge.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections, overall and per source address, on the listening channel: a connection
 * beyond a cap is reset as soon as it is accepted, before it is registered with a network thread,
 * given a pipeline or read from. So a flood of idle or slow connections costs the server one
 * accept and one close each, and cannot take the file descriptors that legitimate callers and the
 * database need (20,000 slow connections once did: {@code accept(..) failed: Too many open files}).
 *
 * <p>A refused client sees a connection reset, which the AWS SDKs retry. Refusals are logged at
 * most once a minute, with their count: a flood must not fill the log either.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int max;
  private final int perAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  ConnectionLimiter(int max, int perAddress) {
    this.max = max;
    this.perAddress = perAddress;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg; // what a server channel reads: the accepted connection
    InetAddress address = address(child.remoteAddress());
    String cap = admit(address);
    if (cap != null) {
      refuse(child, address, cap);
      return;
    }
    child.closeFuture().addListener(closed -> release(address));
    ctx.fireChannelRead(child);
  }

  /** The connections open now. */
  int open() {
    return open.get();
  }

  /** Takes a place for a connection from {@code address}; null if admitted, else the cap it hit. */
  private String admit(InetAddress address) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return "max-connections " + max;
    }
    if (address == null) {
      return null;
    }
    boolean[] full = new boolean[1];
    byAddress.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      if (count >= perAddress) {
        full[0] = true;
        return n;
      }
      return count + 1;
    });
    if (full[0]) {
      open.decrementAndGet();
      return "max-connections-per-address " + perAddress;
    }
    return null;
  }

  private void release(InetAddress address) {
    open.decrementAndGet();
    if (address != null) {
      byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  private void refuse(Channel child, InetAddress address, String cap) {
    try {
      // A reset, not a graceful close: nothing lingers in TIME_WAIT on the server's side.
      child.config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException e) {
      // Not every transport takes it; a plain close refuses the connection just as well.
    }
    child.unsafe().closeForcibly();
    long count = refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      refused.addAndGet(-count);
      LOG.warn("Refused {} connection(s) in the last minute at the cap ({}), the latest from {}; {} open",
          count, cap, address == null ? "an unknown address" : address.getHostAddress(), open.get());
    }
  }

  private static InetAddress address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
