package io.meterbridge.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How {@code serve} and {@code gateway} end on SIGTERM or Ctrl-C. The JVM starts its shutdown and,
 * left alone, exits 143 (SIGTERM) or 130 (SIGINT) whatever the hooks do, which systemd and other
 * supervisors report as a failure. The hook stops the command, waits until it has shut down
 * cleanly and printed its last line, then, when the command owns the JVM ({@code main}), halts it
 * with 0. A shutdown that does not finish within the wait keeps the signal's code. Commands run
 * inside another program (tests, through {@code execute()}) never halt it.
 */
final class CleanStop {
  private final boolean ownsJvm;
  private final Duration shutdownWait;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Thread hook;

  /**
   * @param ownsJvm whether to end the JVM with 0 after a clean stop by signal
   * @param shutdownWait how long the hook waits for the clean stop
   */
  CleanStop(boolean ownsJvm, Duration shutdownWait) {
    this.ownsJvm = ownsJvm;
    this.shutdownWait = shutdownWait;
  }

  /** Installs the shutdown hook; call once the command runs. */
  void install(String threadName) {
    hook = new Thread(this::stopAndWait, threadName);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Asks the command to stop; returns at once. */
  void request() {
    stop.countDown();
  }

  /** Blocks until {@link #request()} or a signal. */
  void await() throws InterruptedException {
    stop.await();
  }

  /** The command has shut down and printed its last words; a waiting hook may end the JVM now. */
  void done() {
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is what stopped us, and it exits.
    }
  }

  private void stopAndWait() {
    stop.countDown();
    try {
      if (stopped.await(shutdownWait.toMillis(), TimeUnit.MILLISECONDS) && ownsJvm) {
        // halt, not exit: exit blocks forever while the shutdown is under way. Other hooks are
        // skipped; the JDK's console log handler flushes on every record, so nothing is lost.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
