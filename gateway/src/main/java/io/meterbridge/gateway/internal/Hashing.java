package io.meterbridge.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed-width keys the ledger stores instead of text: an event's key is the first 128 bits of
 * SHA-256 over its product and id, its content the first 64 bits of SHA-256 over everything else.
 * 128 bits make a collision between two ids about as likely as between two random UUIDs (below
 * 10^-15 after 10^12 events); a content collision could only make a conflicting resend of one id
 * look like a duplicate (2^-64 per resend). SHA-256 rather than a faster non-cryptographic hash,
 * because ids come from outside and must not be craftable into collisions.
 */
final class Hashing {
  // One digest per thread: getInstance walks the providers, which costs more than the hash itself.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  });

  private Hashing() {}

  /** The 128-bit key of event {@code id} of {@code productCode}, as {hi, lo}. */
  static long[] eventKey(String productCode, String id) {
    byte[] digest = digest(productCode + '\n' + id);
    return new long[] {readLong(digest, 0), readLong(digest, 8)};
  }

  /** 64 bits of SHA-256 over {@code text}. */
  static long content(String text) {
    return readLong(digest(text), 0);
  }

  private static byte[] digest(String text) {
    MessageDigest sha = SHA256.get();
    return sha.digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
