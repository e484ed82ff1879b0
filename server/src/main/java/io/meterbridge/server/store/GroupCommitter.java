package io.meterbridge.server.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer thread per store. It takes everything pending (up to a row bound), hands the group to
 * the {@link GroupWriter}, which runs it in one transaction, and then completes every future of the
 * group on a separate completion thread, so callers' callbacks never delay the next commit. With a
 * {@link CommitSync} the commit is not yet durable: the completion thread first makes it so, with
 * one sync for all the groups committed meanwhile, while the writer goes on with the next group.
 */
final class GroupCommitter {
  /** Executes a whole group in one committed transaction, filling in each write's result. */
  interface GroupWriter {
    void write(List<PendingWrite> group);
  }

  /** Makes every group committed so far durable; see {@link WalSync}. */
  interface CommitSync {
    void sync() throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

  private final ArrayBlockingQueue<PendingWrite> queue;
  private final int maxGroupRows;
  private final GroupWriter writer;
  private final Thread thread;
  private final ExecutorService completions;
  private final CommitSync sync;
  /** Groups committed by the writer; a sync started after reading it covers them all. */
  private final AtomicLong committed = new AtomicLong();
  /** Groups made durable. Completion thread only. */
  private long synced;
  private volatile boolean closed;
  // Written by the writer thread only; read by metric scrapes.
  private volatile long commits;
  private volatile long committedRows;

  GroupCommitter(String name, int maxPendingWrites, int maxGroupRows, GroupWriter writer) {
    this(name, maxPendingWrites, maxGroupRows, writer, null);
  }

  /** @param sync makes commits durable, or null when every commit is durable by itself */
  GroupCommitter(String name, int maxPendingWrites, int maxGroupRows, GroupWriter writer, CommitSync sync) {
    this.sync = sync;
    this.queue = new ArrayBlockingQueue<>(maxPendingWrites);
    this.maxGroupRows = maxGroupRows;
    this.writer = writer;
    this.completions = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name + "-completions");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::run, name + "-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void submit(PendingWrite write) {
    if (closed) {
      write.fail(new StoreClosedException("store is closed"));
      return;
    }
    if (!queue.offer(write)) {
      write.fail(new StoreOverloadedException(
          "write queue is full (" + queue.size() + " pending writes); retry later"));
      return;
    }
    // close() may have run between the check and the offer; the writer may then have exited. Whoever
    // removes the write from the queue owns it, so it is either written or failed, never lost.
    if (closed && queue.remove(write)) {
      write.fail(new StoreClosedException("store is closed"));
    }
  }

  private void run() {
    List<PendingWrite> group = new ArrayList<>();
    while (true) {
      PendingWrite first;
      try {
        first = queue.poll(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // Only close() interrupts nobody; keep draining so no accepted write is dropped.
        continue;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      group.add(first);
      int rows = first.rows();
      PendingWrite next;
      while (rows < maxGroupRows && (next = queue.peek()) != null && rows + next.rows() <= maxGroupRows) {
        group.add(queue.poll());
        rows += next.rows();
      }
      commit(List.copyOf(group));
      commits++;
      committedRows += rows;
      group.clear();
    }
  }

  private void commit(List<PendingWrite> group) {
    Throwable failure = null;
    try {
      writer.write(group);
    } catch (Throwable t) {
      failure = t instanceof StoreException
          ? t
          : new StoreException("group commit of " + group.size() + " writes failed: " + t, t);
      if (t instanceof StoreUnavailableException) {
        // The database is down or full: every group fails alike, and the callers' answers are
        // logged (rate-limited) where they are made.
        LOG.log(Level.DEBUG, "group commit of " + group.size() + " writes failed: " + t.getMessage());
      } else {
        LOG.log(Level.WARNING, "group commit of " + group.size() + " writes failed", t);
      }
    }
    long number = failure == null ? committed.incrementAndGet() : 0;
    Throwable committedFailure = failure;
    completions.execute(() -> {
      Throwable f = committedFailure == null ? durable(number) : committedFailure;
      for (PendingWrite w : group) {
        if (f == null) {
          w.complete();
        } else {
          w.fail(f);
        }
      }
    });
  }

  /**
   * Makes committed group {@code number} durable, unless a sync since has covered it: null when it
   * is, or why it could not be. Completion thread only. A group whose sync fails stays committed;
   * its callers hear the store is unavailable, and a retry finds the rows (and is answered as a
   * replay, never stored twice).
   */
  private Throwable durable(long number) {
    if (sync == null || number <= synced) {
      return null;
    }
    long upTo = committed.get();
    try {
      sync.sync();
      synced = upTo;
      return null;
    } catch (IOException | RuntimeException e) {
      // As for a failed commit: the callers' answers are logged (rate-limited) where they are made.
      LOG.log(Level.DEBUG, sync + " failed: " + e);
      return new StoreUnavailableException("the database file cannot be written (I/O error)",
          "the database's log could not be flushed to disk: " + e.getMessage(), e);
    }
  }

  /** Writes waiting for the writer. */
  int queued() {
    return queue.size();
  }

  /** Groups committed (or failed) since the start. */
  long commits() {
    return commits;
  }

  /** Records in those groups: with {@link #commits()}, the mean group size. */
  long committedRows() {
    return committedRows;
  }

  /** Stops accepting writes, writes everything accepted, and waits for every future to complete. */
  void close() {
    closed = true;
    boolean interrupted = Threads.joinThroughInterrupts(thread);
    List<PendingWrite> stragglers = new ArrayList<>();
    queue.drainTo(stragglers);
    stragglers.forEach(w -> w.fail(new StoreClosedException("store is closed")));
    completions.shutdown();
    try {
      completions.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (sync instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + sync + " failed", e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
