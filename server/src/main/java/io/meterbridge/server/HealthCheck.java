package io.meterbridge.server;

import java.util.concurrent.CompletableFuture;

/**
 * Answers {@code /health}. Called on a connection's event loop: it must not block, so a check that
 * asks the database returns a future (and should answer from a recent result when it has one).
 */
@FunctionalInterface
public interface HealthCheck {
  /** Always up, with no database to report: for an HTTP server alone, and tests. */
  HealthCheck ALWAYS_UP = () -> CompletableFuture.completedFuture(new Health(true, "", ""));

  /** The current health; the future never fails. */
  CompletableFuture<Health> check();
}
