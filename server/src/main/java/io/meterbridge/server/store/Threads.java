package io.meterbridge.server.store;

/** Waiting for the store's own threads at close. */
final class Threads {
  private Threads() {}

  /**
   * Waits until {@code thread} has ended, whatever interrupts arrive meanwhile: a close that gave up
   * early would close connections under a thread still writing. Returns whether the caller was
   * interrupted, for it to restore the flag once its own waiting is done.
   */
  static boolean joinThroughInterrupts(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }
}
