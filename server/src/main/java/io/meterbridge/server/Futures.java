package io.meterbridge.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What the server needs beyond {@link java.util.concurrent.CompletableFuture}. */
public final class Futures {
  private Futures() {}

  /**
   * The failure a future's stage was completed with: {@code failure} without the {@link
   * CompletionException} and {@link ExecutionException} wrappers that {@code join}, {@code get} and
   * dependent stages add.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
