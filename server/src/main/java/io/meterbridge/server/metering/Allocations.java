package io.meterbridge.server.metering;

import io.meterbridge.exception.InvalidTagException;
import io.meterbridge.exception.InvalidUsageAllocationsException;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The business rules of usage allocations (vendor-metered tags), and the canonical form in which
 * a record's quantity and allocations are stored and compared.
 *
 * <ul>
 *   <li>the allocated quantities add up to the record's quantity, else InvalidUsageAllocations;
 *   <li>no two allocations have the same set of tags (in any order), else InvalidUsageAllocations;
 *   <li>at most 5 distinct tag keys across the record, and no key twice in one allocation, else
 *       InvalidTag.
 * </ul>
 */
public final class Allocations {
  /** "Maximum tags across UsageAllocation list – 5" (seller guide). */
  public static final int MAX_TAG_KEYS = 5;

  // One digest per thread: MessageDigest.getInstance walks the providers and instantiates by
  // reflection, which cost more than hashing these few bytes (25 times per batch).
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  });

  private Allocations() {}

  /**
   * Checks {@code allocations} against {@code quantity}; does nothing when there are none.
   *
   * @param where names the record in messages, such as {@code usageRecords[2]}
   */
  public static void check(String where, long quantity, List<UsageAllocation> allocations) {
    if (allocations.isEmpty()) {
      return;
    }
    long sum = 0;
    Set<String> keys = new HashSet<>();
    Set<List<String>> tagSets = new HashSet<>();
    for (int i = 0; i < allocations.size(); i++) {
      UsageAllocation allocation = allocations.get(i);
      sum += allocation.allocatedUsageQuantity();
      Set<String> keysHere = new HashSet<>();
      for (Tag tag : allocation.tags()) {
        if (!keysHere.add(tag.key())) {
          throw new InvalidTagException(where + ".usageAllocations[" + i + "]: tag key '" + tag.key()
              + "' appears twice in one allocation");
        }
        keys.add(tag.key());
      }
      if (!tagSets.add(sortedTags(allocation.tags()))) {
        throw new InvalidUsageAllocationsException(where + ".usageAllocations[" + i
            + "]: another allocation has the same tags; allocations with the same tags must be combined");
      }
    }
    if (keys.size() > MAX_TAG_KEYS) {
      throw new InvalidTagException(where + ": " + keys.size() + " distinct tag keys " + new java.util.TreeSet<>(keys)
          + "; at most " + MAX_TAG_KEYS + " are allowed across a record's allocations");
    }
    if (sum != quantity) {
      throw new InvalidUsageAllocationsException(where + ": allocated quantities add up to " + sum
          + " but the usage quantity is " + quantity + "; they must be equal");
    }
  }

  /**
   * The allocations in a canonical text form (sorted, tags sorted), so that two records with the
   * same allocations in another order compare equal. Empty for no allocations.
   */
  public static String canonical(List<UsageAllocation> allocations) {
    if (allocations.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>(allocations.size());
    for (UsageAllocation allocation : allocations) {
      StringBuilder part = new StringBuilder().append(allocation.allocatedUsageQuantity());
      for (String tag : sortedTags(allocation.tags())) {
        part.append('|').append(tag);
      }
      parts.add(part.toString());
    }
    parts.sort(Comparator.naturalOrder());
    return String.join("\n", parts);
  }

  /**
   * The allocations back from their {@link #canonical} form (in canonical order), for display.
   *
   * @throws IllegalArgumentException if {@code canonical} is not such a form
   */
  public static List<UsageAllocation> parse(String canonical) {
    if (canonical.isEmpty()) {
      return List.of();
    }
    List<UsageAllocation> allocations = new ArrayList<>();
    for (String part : canonical.split("\n", -1)) {
      int at = part.indexOf('|');
      int end = at < 0 ? part.length() : at;
      int quantity;
      try {
        quantity = Integer.parseInt(part.substring(0, end));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not canonical allocations: " + part, e);
      }
      List<Tag> tags = new ArrayList<>();
      int i = end;
      while (i < part.length()) {
        if (part.charAt(i) != '|') {
          throw new IllegalArgumentException("not canonical allocations: " + part);
        }
        int[] next = new int[1];
        String key = lengthPrefixed(part, i + 1, next);
        if (next[0] >= part.length() || part.charAt(next[0]) != '=') {
          throw new IllegalArgumentException("not canonical allocations: " + part);
        }
        String value = lengthPrefixed(part, next[0] + 1, next);
        tags.add(new Tag(key, value));
        i = next[0];
      }
      allocations.add(new UsageAllocation(quantity, tags));
    }
    return allocations;
  }

  /** Reads {@code <length>:<text>} at {@code from}; {@code next[0]} is set to the index after it. */
  private static String lengthPrefixed(String s, int from, int[] next) {
    int colon = s.indexOf(':', from);
    if (colon < 0) {
      throw new IllegalArgumentException("not canonical allocations: " + s);
    }
    int length;
    try {
      length = Integer.parseInt(s.substring(from, colon));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not canonical allocations: " + s, e);
    }
    if (length < 0 || colon + 1 + length > s.length()) {
      throw new IllegalArgumentException("not canonical allocations: " + s);
    }
    next[0] = colon + 1 + length;
    return s.substring(colon + 1, next[0]);
  }

  /**
   * A short hash of a quantity and its allocations: two records are the same usage when their
   * fingerprints are equal.
   */
  public static String fingerprint(long quantity, List<UsageAllocation> allocations) {
    if (allocations.isEmpty() && quantity >= 0 && quantity < PlainFingerprints.TABLE.length) {
      return PlainFingerprints.TABLE[(int) quantity];
    }
    return sha256Prefix(quantity + "\n" + canonical(allocations));
  }

  /**
   * The fingerprints of records without allocations and with a quantity under 1,024 (seats, hosts,
   * users and most hourly counts), computed once: in a profile of the server the digests of these
   * fingerprints were ~1.5–2 % of its CPU. Built on first use (1,024 digests, about a millisecond).
   */
  private static final class PlainFingerprints {
    static final String[] TABLE = new String[1024];

    static {
      for (int q = 0; q < TABLE.length; q++) {
        TABLE[q] = sha256Prefix(q + "\n");
      }
    }
  }

  /** The first 32 hex digits (128 bits) of the text's SHA-256. */
  static String sha256Prefix(String text) {
    byte[] hash = DIGEST.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, 16);
  }

  private static List<String> sortedTags(List<Tag> tags) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Tag tag : tags) {
      sorted.put(tag.key(), tag.value());
    }
    List<String> out = new ArrayList<>(sorted.size());
    // Length-prefixed so that no key or value can forge a separator.
    sorted.forEach((k, v) -> out.add(k.length() + ":" + k + "=" + v.length() + ":" + v));
    return out;
  }
}
