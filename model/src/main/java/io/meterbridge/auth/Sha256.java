package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 and HMAC-SHA256 with per-thread instances and lower-case hex.
 *
 * <p>{@code MessageDigest.getInstance} walks the provider list on every call, which costs more
 * than hashing a small request; signing runs on every call, so each thread keeps one digest.
 */
final class Sha256 {

  /** SHA-256 of the empty string: most signed requests without a body hash to this. */
  static final String EMPTY_HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final ThreadLocal<MessageDigest> DIGEST = new ThreadLocal<>();
  private static final int BLOCK = 64;

  private Sha256() {}

  private static MessageDigest digest() {
    MessageDigest digest = DIGEST.get();
    if (digest == null) {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
      DIGEST.set(digest);
    }
    return digest;
  }

  static byte[] digest(byte[] data) {
    return digest().digest(data);
  }

  static String hashHex(byte[] data) {
    return data.length == 0 ? EMPTY_HEX : hex(digest(data));
  }

  static String hashHex(String text) {
    return hex(digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * HMAC-SHA256 (RFC 2104) on the per-thread SHA-256 digest. Not {@code javax.crypto.Mac}: looking
   * up a Mac loads every security provider before finding one (tens of milliseconds before the
   * first call), and each {@code init} allocates a key spec and pads the key again.
   */
  static byte[] hmac(byte[] key, String data) {
    MessageDigest md = digest();
    byte[] k = key.length > BLOCK ? md.digest(key) : key;
    byte[] pad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
    }
    md.update(pad);
    md.update(data.getBytes(StandardCharsets.UTF_8));
    byte[] inner = md.digest();
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
    }
    md.update(pad);
    md.update(inner);
    return md.digest();
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0x0f];
    }
    return new String(out);
  }

  /** Whether {@code s} is exactly 64 lower-case hex digits, the shape of a SHA-256 hex string. */
  static boolean isLowerHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
