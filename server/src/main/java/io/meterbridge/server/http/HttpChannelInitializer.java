package io.meterbridge.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of each accepted connection:
 * TLS (when configured; its handshake bounded by the head timeout) → idle timer → byte watch
 * (when a request's bytes begin) → HTTP/1.1 codec (bounded request line and headers) → connection
 * guard (head, read and idle timeouts) → body aggregator (refuses bodies at the limit with 413) →
 * protocol handler (dispatch and ordered answers).
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
  private static final int MAX_CHUNK_BYTES = 16 * 1024;

  private final HttpServerConfig config;
  private final Dispatcher dispatcher;
  private final ChannelGroup channels;
  private final TlsFiles tls;

  /** @param tls the TLS files, or null for plain HTTP */
  HttpChannelInitializer(HttpServerConfig config, Dispatcher dispatcher, ChannelGroup channels, TlsFiles tls) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel channel) {
    channels.add(channel);
    ConnectionState state = new ConnectionState();
    ConnectionGuard guard = new ConnectionGuard(state, config.requestReadTimeout(), config.requestHeadTimeout());
    if (tls != null) {
      SslHandler handler = tls.context().newHandler(channel.alloc());
      handler.setHandshakeTimeoutMillis(config.requestHeadTimeout().toMillis());
      channel.pipeline().addLast("tls", handler);
    }
    channel.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("bytes", new ByteWatch(guard))
        .addLast("http", new HttpServerCodec(config.maxInitialLineBytes(), config.maxHeaderBytes(), MAX_CHUNK_BYTES))
        .addLast("guard", guard)
        .addLast("body", new BodyLimitAggregator(config.bodyLimitBytes()))
        .addLast("protocol", new ProtocolHandler(dispatcher, state));
  }
}
