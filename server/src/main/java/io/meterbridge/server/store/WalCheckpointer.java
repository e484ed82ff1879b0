package io.meterbridge.server.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Copies a SQLite database's WAL back into the database file on a thread and connection of its own
 * ({@code PASSIVE} checkpoints, which never wait for the writer), so that the metering writer's
 * thread spends its time on inserts and its own commit.
 *
 * <p>Why: a group of 1,600 spread-key rows dirties about as many pages, more than SQLite's default
 * autocheckpoint of 1,000 pages, so the writer used to checkpoint after nearly every commit and
 * the callers of the next group waited for it. Measured in three alternating pairs (200,000
 * customers, spread keys, 64 callers, 20 s windows): 100,155–102,374 records/s with this thread
 * (checkpointing every 20 ms) against 85,391–90,232 without, at the same CPU per record. The writer keeps an autocheckpoint of its
 * own at {@link #WRITER_AUTOCHECKPOINT_PAGES}, far above what a group adds: it runs only when this
 * thread falls behind, then has little left to copy, and lets the next transaction start the WAL
 * from its beginning again, which bounds the file (at most about 64 MB).
 */
final class WalCheckpointer implements AutoCloseable {
  /** The writer's own autocheckpoint threshold (64 MB of 4 KB pages). */
  static final int WRITER_AUTOCHECKPOINT_PAGES = 16_000;
  private static final System.Logger LOG = System.getLogger(WalCheckpointer.class.getName());
  /**
   * Between checkpoints while frames arrive. Small checkpoints disturb the writer's commits least:
   * at half the sustained rate (open loop), p99 was 22.6 and 25.9 ms with 5 ms (two runs), 37.3 ms
   * with 20 ms and 65.7 ms with 200 ms (20.6 ms with no checkpointer at all); closed-loop
   * throughput was 90,549 records/s with 5 ms and 84,826 with 20 ms (30 s windows, one run each).
   */
  private static final long BUSY_PAUSE_MS = 5;
  /** Between checkpoints once a hundred in a row (half a second) found nothing new: the server is idle. */
  private static final long IDLE_PAUSE_MS = 50;
  private static final int IDLE_AFTER = 100;
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final DataSource source;
  private final Thread thread;
  private volatile boolean closed;
  private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

  WalCheckpointer(String name, DataSource source) {
    this.source = source;
    this.thread = new Thread(this::run, name + "-checkpointer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    while (!closed) {
      try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
        long lastFrames = -1;
        long lastCopied = -1;
        int unchanged = 0;
        while (!closed) {
          // The row: busy flag, frames in the WAL, frames copied so far. Both unchanged: nothing new.
          long frames;
          long copied;
          try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            boolean row = rs.next();
            frames = row ? rs.getLong(2) : 0;
            copied = row ? rs.getLong(3) : 0;
          }
          unchanged = frames == lastFrames && copied == lastCopied ? unchanged + 1 : 0;
          lastFrames = frames;
          lastCopied = copied;
          pause(unchanged >= IDLE_AFTER ? IDLE_PAUSE_MS : BUSY_PAUSE_MS);
        }
      } catch (SQLException | RuntimeException e) {
        // A full disk or a vanished file: the writer reports what matters to callers; keep trying.
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_EVERY_NANOS) {
          lastWarning = now;
          LOG.log(Level.WARNING, "WAL checkpoint failed (retrying; the writer checkpoints by itself meanwhile): "
              + e.getMessage());
        }
        pause(IDLE_PAUSE_MS);
      }
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // close() interrupts; the loop checks closed
    }
  }

  /** Stops the thread after its current checkpoint. Idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    if (Threads.joinThroughInterrupts(thread)) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return thread.getName();
  }
}
