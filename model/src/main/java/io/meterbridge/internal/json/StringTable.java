package io.meterbridge.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The string values of one JSON document, so that a value that repeats (a dimension, a tag key,
 * a tag value, echoed in every record of a batch) becomes one {@code String}, not one per
 * occurrence. A small direct-mapped table of short strings, filled on first use; a collision just
 * replaces the older entry.
 */
final class StringTable {
  private static final int SIZE = 64;
  private static final int MAX_LENGTH = 48;

  private String[] table;

  /** The parser's current string value. */
  String get(JsonParser p) throws IOException {
    int length = p.getTextLength();
    if (length > MAX_LENGTH) {
      return p.getText();
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int hash = 0;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + chars[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SIZE - 1);
    String[] t = table;
    if (t == null) {
      t = new String[SIZE];
      table = t;
    }
    String known = t[slot];
    if (known != null && known.length() == length && equal(known, chars, offset, length)) {
      return known;
    }
    String value = new String(chars, offset, length);
    t[slot] = value;
    return value;
  }

  static boolean equal(String s, char[] chars, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
