package io.meterbridge.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of each accepted connection:
 * idle timer → HTTP/1.1 codec (bounded request line and headers) → connection guard (idle and
 * read timeouts) → body aggregator (refuses bodies at the limit with 413) → protocol handler
 * (dispatch and ordered answers).
 *
 * <p>Internal to the server; public only for {@link io.meterbridge.server.Server}.
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
  private static final int MAX_CHUNK_BYTES = 16 * 1024;

  private final HttpServerConfig config;
  private final Dispatcher dispatcher;
  private final ChannelGroup channels;

  HttpChannelInitializer(HttpServerConfig config, Dispatcher dispatcher, ChannelGroup channels) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.channels = channels;
  }

  @Override
  protected void initChannel(Channel channel) {
    channels.add(channel);
    ConnectionState state = new ConnectionState();
    channel.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("http", new HttpServerCodec(config.maxInitialLineBytes(), config.maxHeaderBytes(), MAX_CHUNK_BYTES))
        .addLast("guard", new ConnectionGuard(state, config.requestReadTimeout()))
        .addLast("body", new BodyLimitAggregator(config.bodyLimitBytes()))
        .addLast("protocol", new ProtocolHandler(dispatcher, state));
  }
}
