package io.meterbridge.server;

import java.util.Objects;

/**
 * What {@code GET /health} answers: whether the server can do its work, which means whether its
 * database answers.
 *
 * @param up whether the database answered a query on the server's tables in time
 * @param database {@code UP} or {@code DOWN}; empty when there is no database to report
 * @param message why it is down; empty when up
 */
public record Health(boolean up, String database, String message) {
  public Health {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(message, "message");
  }

  /** Up, with nothing to say. */
  public static Health ok() {
    return new Health(true, "UP", "");
  }

  /** Down, for {@code message}. */
  public static Health down(String message) {
    return new Health(false, "DOWN", message);
  }
}
