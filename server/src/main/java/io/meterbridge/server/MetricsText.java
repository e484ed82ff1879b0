package io.meterbridge.server;

import java.util.concurrent.CompletableFuture;

/**
 * Answers {@code GET /metrics} with the Prometheus text exposition. Called on a connection's event
 * loop, so the work of a scrape belongs on another thread: hence the future.
 */
@FunctionalInterface
public interface MetricsText {
  /** The exposition (format 0.0.4); the future may fail, which answers 500. */
  CompletableFuture<String> scrape();
}
