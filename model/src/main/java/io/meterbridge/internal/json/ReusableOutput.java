package io.meterbridge.internal.json;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A per-thread, growable byte buffer that bodies are encoded into, so that encoding allocates only
 * the final, exactly sized array instead of a {@code ByteArrayOutputStream}'s doubling copies. A
 * buffer grown beyond {@link #KEEP_AT_MOST} is dropped after use rather than kept by the thread.
 */
final class ReusableOutput extends OutputStream {
  private static final int KEEP_AT_MOST = 64 * 1024;
  private static final ThreadLocal<ReusableOutput> CURRENT = new ThreadLocal<>();

  private byte[] buffer = new byte[2048];
  private int count;
  private boolean inUse;

  private ReusableOutput() {}

  /** This thread's buffer, empty; a fresh one if it is in use already (re-entrant encoding). */
  static ReusableOutput acquire() {
    ReusableOutput out = CURRENT.get();
    if (out == null || out.inUse) {
      out = new ReusableOutput();
      if (CURRENT.get() == null) {
        CURRENT.set(out);
      }
    }
    out.inUse = true;
    out.count = 0;
    return out;
  }

  /** Hands the buffer back to the thread. */
  void release() {
    inUse = false;
    if (buffer.length > KEEP_AT_MOST) {
      buffer = new byte[2048];
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, count);
  }

  @Override
  public void write(int b) {
    ensure(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buffer, count, len);
    count += len;
  }

  private void ensure(int more) {
    if (count + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
    }
  }
}
