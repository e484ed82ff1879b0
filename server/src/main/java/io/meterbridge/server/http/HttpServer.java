package io.meterbridge.server.http;

import io.meterbridge.server.CallListener;
import io.meterbridge.server.HealthCheck;
import io.meterbridge.server.MetricsText;
import io.meterbridge.server.MeteringService;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.throttle.Throttler;
import io.meterbridge.server.throttle.Throttling;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer of a Meterbridge server: Netty and the AWS JSON 1.1 protocol of AWS Marketplace
 * Metering (so the AWS SDKs and CLI work against it unchanged), in front of any {@link
 * MeteringService} and {@link Authenticator}. {@link io.meterbridge.server.MeterbridgeServer}
 * assembles one with the store and the operations; on its own it serves operations of your own
 * (tests, stubs).
 *
 * <pre>{@code
 * try (HttpServer server = HttpServer.builder()
 *     .bind("127.0.0.1").port(0)
 *     .service(meteringService)
 *     .authenticator(sigV4Authenticator)
 *     .build()
 *     .start()) {
 *   URI endpoint = URI.create("http://127.0.0.1:" + server.port());
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops accepting connections, lets calls in flight finish for up
 * to {@link HttpServerConfig#shutdownGracePeriod()}, then closes everything.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private final HttpServerConfig config;
  private final MeteringService service;
  private final Authenticator authenticator;
  private final PlainHandler admin;
  private final CallListener calls;
  private final HealthCheck health;
  private final MetricsText metrics;

  private final Object lock = new Object();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ChannelGroup channels;
  private Channel listener;
  private ConnectionLimiter limiter;
  private ScheduledExecutorService tlsReloader;
  private int port = -1;
  private boolean closed;

  private HttpServer(HttpServerConfig config, MeteringService service, Authenticator authenticator, PlainHandler admin,
      CallListener calls, HealthCheck health, MetricsText metrics) {
    this.config = config;
    this.service = service;
    this.authenticator = authenticator;
    this.admin = admin;
    this.calls = calls;
    this.health = health;
    this.metrics = metrics;
  }

  /** A builder with the default configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws UncheckedIOException if the address cannot be bound
   * @throws IllegalStateException if the server was started or closed before
   */
  public HttpServer start() {
    synchronized (lock) {
      if (closed || listener != null) {
        throw new IllegalStateException(closed ? "The server is closed" : "The server is already started");
      }
      if (!authenticator.verifiesSignatures()) {
        LOG.warn("*************************************************************************");
        LOG.warn("*  INSECURE: requests are NOT authenticated ({}).", authenticator);
        LOG.warn("*  Any caller, with any or no signature, is accepted. Never expose this.");
        LOG.warn("*************************************************************************");
      }
      TlsFiles tls = config.tlsCertificate().map(cert -> TlsFiles.load(cert, config.tlsPrivateKey().orElseThrow()))
          .orElse(null);
      if (tls == null && !loopback(config.bindAddress())) {
        LOG.warn("Listening on {} without TLS: signatures, admin tokens and metering data cross the network in"
            + " clear text. Set --tls-cert and --tls-key, or put a TLS-terminating proxy in front.",
            config.bindAddress());
      }
      boolean epoll = config.nativeTransport() && Epoll.isAvailable();
      boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("meterbridge-accept", true))
          : new NioEventLoopGroup(1, new DefaultThreadFactory("meterbridge-accept", true));
      workers = epoll ? new EpollEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("meterbridge-io", true))
          : new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("meterbridge-io", true));
      Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
      channels = new DefaultChannelGroup("meterbridge-connections", GlobalEventExecutor.INSTANCE);
      Dispatcher dispatcher = new Dispatcher(service, authenticator, new Throttler(config.throttling(), config.regions()),
          config.disabledRegions(), admin, calls, health, metrics);
      limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress());
      try {
        listener = new ServerBootstrap()
            .group(boss, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(limiter)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(new HttpChannelInitializer(config, dispatcher, channels, tls))
            .bind(config.bindAddress(), config.port())
            .syncUninterruptibly()
            .channel();
      } catch (Exception e) { // Netty rethrows a checked bind failure without declaring it
        shutdownGroups(Duration.ZERO);
        String message = "Could not listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage();
        if (e instanceof IOException io) {
          throw new UncheckedIOException(message, io);
        }
        throw new IllegalStateException(message, e);
      }
      port = ((InetSocketAddress) listener.localAddress()).getPort();
      if (tls != null) {
        long every = config.tlsReloadInterval().toMillis();
        tlsReloader = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("meterbridge-tls-reload", true));
        tlsReloader.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
      }
      LOG.info("Meterbridge listening on {}://{}:{} ({}, {} I/O threads, regions {}, {}, authentication {},"
          + " at most {} connections, {} per address)",
          tls == null ? "http" : "https", config.bindAddress(), port, epoll ? "epoll" : "nio", config.ioThreads(),
          config.regions(), config.throttling(), authenticator, config.maxConnections(),
          config.maxConnectionsPerAddress());
      return this;
    }
  }

  /**
   * The port the server listens on: the configured one, or the one picked for {@code port(0)}.
   *
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    synchronized (lock) {
      if (port < 0) {
        throw new IllegalStateException("The server is not started");
      }
      return port;
    }
  }

  /** The connections open now (those refused at the caps are never counted). */
  public int openConnections() {
    synchronized (lock) {
      return limiter == null ? 0 : limiter.open();
    }
  }

  /** The configuration. */
  public HttpServerConfig config() {
    return config;
  }

  /** Whether the server is listening. */
  public boolean running() {
    synchronized (lock) {
      return listener != null && !closed;
    }
  }

  /**
   * Stops the server: no new connections; idle connections closed; calls in flight answered (with
   * {@code Connection: close}) for up to the grace period; then every connection is closed and the
   * threads stop. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (listener == null) {
        return;
      }
      Duration grace = config.shutdownGracePeriod();
      listener.close().syncUninterruptibly();
      for (Channel channel : channels) {
        channel.pipeline().fireUserEventTriggered(Drain.INSTANCE);
      }
      if (!channels.newCloseFuture().awaitUninterruptibly(grace.toMillis())) {
        LOG.warn("{} connections still busy after {}; closing them", channels.size(), grace);
      }
      channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      if (tlsReloader != null) {
        tlsReloader.shutdownNow();
      }
      shutdownGroups(grace);
      LOG.info("Meterbridge on port {} stopped", port);
    }
  }

  private void shutdownGroups(Duration grace) {
    long timeout = Math.max(100, grace.toMillis());
    if (workers != null) {
      workers.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
    }
    if (boss != null) {
      boss.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
    }
    if (workers != null) {
      workers.terminationFuture().awaitUninterruptibly(timeout + 1000);
    }
    if (boss != null) {
      boss.terminationFuture().awaitUninterruptibly(timeout + 1000);
    }
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Server[" + config.bindAddress() + ":" + (port < 0 ? config.port() : port)
          + (closed ? ", closed" : listener == null ? ", not started" : "") + "]";
    }
  }

  /** Builds {@link HttpServer}s. Not thread-safe. */
  public static final class Builder {
    private HttpServerConfig.Builder config = HttpServerConfig.builder();
    private MeteringService service;
    private Authenticator authenticator;
    private PlainHandler admin = PlainHandler.NONE;
    private CallListener calls = CallListener.NONE;
    private HealthCheck health = HealthCheck.ALWAYS_UP;
    private MetricsText metrics;

    private Builder() {}

    /** Replaces every setting with those of {@code config}. */
    public Builder config(HttpServerConfig config) {
      this.config = Objects.requireNonNull(config, "config").toBuilder();
      return this;
    }

    /** See {@link HttpServerConfig.Builder#bindAddress(String)}. */
    public Builder bind(String bindAddress) {
      config.bindAddress(bindAddress);
      return this;
    }

    /** See {@link HttpServerConfig.Builder#port(int)}. */
    public Builder port(int port) {
      config.port(port);
      return this;
    }

    /** See {@link HttpServerConfig.Builder#regions(List)}. */
    public Builder regions(String... regions) {
      config.regions(regions);
      return this;
    }

    /** See {@link HttpServerConfig.Builder#throttling(Throttling)}. */
    public Builder throttling(Throttling throttling) {
      config.throttling(throttling);
      return this;
    }

    /** The operations. Required. */
    public Builder service(MeteringService service) {
      this.service = service;
      return this;
    }

    /** How callers are authenticated. Required. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /**
     * What answers the plain HTTP routes: {@code /admin/*} (the admin API) and {@code GET /keys/*}
     * (the public key download), normally an {@link io.meterbridge.server.admin.AdminApi}. They
     * bypass SigV4 and throttling; the body limit still applies. Default: none, every such request
     * is answered 404 with a JSON error.
     */
    public Builder admin(PlainHandler admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /**
     * Told about every answered request (API calls, refusals, plain routes), on the connection's
     * event loop: the audit trail, the access log, the metrics. Default: none.
     */
    public Builder calls(CallListener calls) {
      this.calls = Objects.requireNonNull(calls, "calls");
      return this;
    }

    /** Answers {@code /health} (200 when up, 503 when down). Default: always up. */
    public Builder health(HealthCheck health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /**
     * Answers {@code GET /metrics} (Prometheus text, no authentication, like {@code /health}).
     * Default: none, a 404.
     */
    public Builder metrics(MetricsText metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * A server, not yet started.
     *
     * @throws IllegalArgumentException if the configuration is invalid or the service or the
     *     authenticator is missing
     */
    public HttpServer build() {
      if (service == null) {
        throw new IllegalArgumentException("service must be set: the MeteringService that implements the operations");
      }
      if (authenticator == null) {
        throw new IllegalArgumentException("authenticator must be set: a SigV4 authenticator, "
            + "or Authenticator.anyCredentials(accountId, region) for insecure demos");
      }
      return new HttpServer(config.build(), service, authenticator, admin, calls, health, metrics);
    }
  }
}
