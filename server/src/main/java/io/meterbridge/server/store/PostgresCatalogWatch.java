package io.meterbridge.server.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells this process about catalog changes made by other processes on the same PostgreSQL: one
 * thread holds a connection of its own that {@code LISTEN}s on {@link #CHANNEL}, to which every
 * catalog write sends a {@code NOTIFY} in its transaction (delivered at commit).
 *
 * <p>Notifications sent while no connection listens are lost, so the listener is also called when
 * the connection breaks and again when it is back: a cache that drops everything on each call then
 * cannot keep an entry from before a change it did not hear of. The connection is outside the pools
 * because it is held for the store's whole life; losing it costs cache misses, never a wrong answer.
 */
final class PostgresCatalogWatch implements AutoCloseable {
  /** One channel for every schema on the database: a change in another schema costs a cache refill, no more. */
  static final String CHANNEL = "meterbridge_catalog";
  private static final System.Logger LOG = System.getLogger(PostgresCatalogWatch.class.getName());
  private static final int POLL_MILLIS = 250;
  private static final long RETRY_MILLIS = 1_000;

  private final StoreConfig config;
  private final Runnable changed;
  private final Thread thread;
  private volatile boolean closed;

  private PostgresCatalogWatch(StoreConfig config, Runnable changed) {
    this.config = config;
    this.changed = changed;
    this.thread = new Thread(this::run, "meterbridge-catalog-watch");
    thread.setDaemon(true);
  }

  static PostgresCatalogWatch start(StoreConfig config, Runnable changed) {
    PostgresCatalogWatch w = new PostgresCatalogWatch(config, changed);
    w.thread.start();
    return w;
  }

  private void run() {
    boolean warned = false;
    while (!closed) {
      try (Connection c = connect()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        // Whatever changed while nobody listened (at start: nothing is cached yet, so this is cheap).
        changed.run();
        warned = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(POLL_MILLIS);
          if (received != null && received.length > 0) {
            changed.run();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        changed.run();
        if (!warned) {
          LOG.log(Level.WARNING, "lost the catalog change notifications (" + e.getMessage()
              + "); the catalog cache is dropped and the connection retried every " + RETRY_MILLIS + " ms");
          warned = true;
        }
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    config.user().ifPresent(u -> p.setProperty("user", u));
    config.password().ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("ApplicationName", "meterbridge-catalog-watch");
    String url = config.jdbcUrl().orElseThrow();
    Connection c = new org.postgresql.Driver().connect(url, p);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver does not accept " + url);
    }
    return c;
  }

  /** Stops listening; returns within one poll interval. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(5 * POLL_MILLIS);
  }
}
