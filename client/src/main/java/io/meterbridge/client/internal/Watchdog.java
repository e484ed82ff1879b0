package io.meterbridge.client.internal;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread, shared by every client in the JVM, that runs tasks at deadlines: attempt and
 * call timeouts, retry backoffs and rate-limiter waits. Started on first use.
 *
 * <p>Why not {@code CompletableFuture.completeOnTimeout} or a {@code ScheduledThreadPoolExecutor}:
 * both wake their thread whenever a new task becomes the earliest, which for a client making one
 * call at a time is every call (the previous call's 30 s attempt timer was just cancelled). Here a
 * new deadline wakes the thread only if it is earlier than the time the thread already means to
 * wake at; a cancelled task is dropped from the queue at once. In the steady state of sequential
 * calls with a fixed attempt timeout the thread wakes about once per timeout period, not per call.
 *
 * <p>Tasks run on the watchdog thread and must be short and never block: they interrupt a thread,
 * complete a future, or hand work to an executor.
 */
final class Watchdog {
  private static final class Holder {
    static final Watchdog INSTANCE = new Watchdog();
  }

  /** A scheduled task; {@link #cancel()} it when it is no longer needed. */
  abstract static class Task implements Comparable<Task> {
    long deadline;
    Watchdog owner;

    /** Runs on the watchdog thread once the deadline has passed, unless cancelled first. */
    abstract void fire();

    /** Removes the task if it has not fired; false if it fired (or is firing) already. */
    final boolean cancel() {
      Watchdog w = owner;
      return w != null && w.remove(this);
    }

    @Override
    public final int compareTo(Task other) {
      return Long.compare(deadline, other.deadline);
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private Thread thread;
  /** When the thread will next look at the queue, by its own plan; guarded by this. */
  private long wakeAt = Long.MAX_VALUE;
  private boolean sleepingForever = true;

  private Watchdog() {}

  static Watchdog shared() {
    return Holder.INSTANCE;
  }

  /** Schedules {@code task} to fire at {@code deadline} ({@link System#nanoTime()} time). */
  void schedule(Task task, long deadline) {
    boolean wake;
    Thread t;
    synchronized (this) {
      task.deadline = deadline;
      task.owner = this;
      queue.add(task);
      if (thread == null) {
        thread = new Thread(this::run, "meterbridge-watchdog");
        thread.setDaemon(true);
        thread.start();
      }
      wake = sleepingForever || deadline - wakeAt < 0;
      if (wake) {
        wakeAt = deadline;
        sleepingForever = false;
      }
      t = thread;
    }
    if (wake) {
      LockSupport.unpark(t);
    }
  }

  private synchronized boolean remove(Task task) {
    if (task.owner == null) {
      return false;
    }
    task.owner = null;
    return queue.remove(task);
  }

  private void run() {
    while (true) {
      Task due = null;
      long sleep = 0;
      synchronized (this) {
        Task head = queue.peek();
        long now = System.nanoTime();
        if (head != null && head.deadline - now <= 0) {
          due = queue.poll();
          due.owner = null;
        } else if (head == null) {
          sleepingForever = true;
        } else {
          wakeAt = head.deadline;
          sleepingForever = false;
          sleep = head.deadline - now;
        }
      }
      if (due != null) {
        try {
          due.fire();
        } catch (Throwable e) {
          System.getLogger("io.meterbridge.client").log(System.Logger.Level.WARNING,
              "A timer task failed", e);
        }
      } else if (sleep > 0) {
        LockSupport.parkNanos(this, sleep);
      } else {
        LockSupport.park(this);
      }
    }
  }
}
