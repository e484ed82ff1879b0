package io.meterbridge.server;

import java.util.concurrent.CompletableFuture;

/**
 * Answers {@code /health}. Called on a connection's event loop: it must not block, so a check that
 * asks the database returns a future (and should answer from a recent result when it has one).
 */
@FunctionalInterface
public interface HealthCheck {
  /** Always up: for servers without a database of their own, and tests. */
  HealthCheck ALWAYS_UP = () -> CompletableFuture.completedFuture(Health.ok());

  /** The current health; the future never fails. */
  CompletableFuture<Health> check();
}
