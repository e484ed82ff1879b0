package io.meterbridge.gateway.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite gateway's index of event keys, in memory: first 64 bits of the key to the event's row
 * (its seq). A B-tree on random keys in SQLite costs a page write per event once it outgrows a group
 * commit, so the table is append-only and the lookups happen here; a match is confirmed by reading
 * the row. One process owns a SQLite gateway (a file lock sees to it), so this index sees every write.
 *
 * <p>Open addressing over two arrays (the key half, and the seq as an offset from the segment's
 * first), 12 bytes an entry, at most 3/4 full: about 16 bytes an event. Entries live in segments by
 * the UTC day they were received; a segment is dropped whole once its events are past retention,
 * and a lookup probes every live segment (two or three). Thread-safe: the writer looks up and adds,
 * ledger reads look up.
 */
final class EventIndex {
  private static final long DAY_MS = 86_400_000L;
  private static final int INITIAL_CAPACITY = 1 << 12;

  private static final class Segment {
    final long day;
    final long baseSeq;
    long maxReceivedAt;
    long[] keys = new long[INITIAL_CAPACITY];
    int[] offsets = new int[INITIAL_CAPACITY];
    int size;

    Segment(long day, long baseSeq) {
      this.day = day;
      this.baseSeq = baseSeq;
    }

    void add(long key, long seq) {
      if (size + 1 > keys.length - (keys.length >> 2)) {
        grow();
      }
      insert(keys, offsets, key, (int) (seq - baseSeq));
      size++;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldOffsets = offsets;
      keys = new long[oldKeys.length * 2];
      offsets = new int[oldKeys.length * 2];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0) {
          insert(keys, offsets, oldKeys[i], oldOffsets[i]);
        }
      }
    }

    private static void insert(long[] keys, int[] offsets, long key, int offset) {
      int mask = keys.length - 1;
      int i = slot(key, mask);
      while (keys[i] != 0) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      offsets[i] = offset;
    }

    void collect(long key, List<Long> into) {
      int mask = keys.length - 1;
      for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
        if (keys[i] == key) {
          into.add(baseSeq + offsets[i]);
        }
      }
    }
  }

  private final List<Segment> segments = new ArrayList<>();
  private long entries;

  /** 0 marks an empty slot; a key half of 0 is stored as 1 (the row check tells them apart). */
  private static long stored(long keyHi) {
    return keyHi == 0 ? 1 : keyHi;
  }

  private static int slot(long key, int mask) {
    // The key is SHA-256 output: any bits are uniform; take the low ones (the high ones are compared).
    return (int) key & mask;
  }

  /** The seqs of the events whose key starts with {@code keyHi}: nearly always none or one. */
  synchronized List<Long> candidates(long keyHi) {
    List<Long> found = new ArrayList<>(1);
    long key = stored(keyHi);
    for (Segment s : segments) {
      s.collect(key, found);
    }
    return found;
  }

  /** Adds a committed event. Seqs only grow. */
  synchronized void add(long keyHi, long seq, long receivedAt) {
    long day = Math.floorDiv(receivedAt, DAY_MS);
    Segment current = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (current == null || current.day != day || seq - current.baseSeq > Integer.MAX_VALUE) {
      current = new Segment(day, seq);
      segments.add(current);
    }
    current.add(stored(keyHi), seq);
    current.maxReceivedAt = Math.max(current.maxReceivedAt, receivedAt);
    entries++;
  }

  /** Forgets every segment whose events were all received before {@code cutoff}. */
  synchronized void dropReceivedBefore(long cutoff) {
    for (var it = segments.iterator(); it.hasNext(); ) {
      Segment s = it.next();
      if (s.maxReceivedAt < cutoff && it.hasNext()) {
        entries -= s.size;
        it.remove();
      }
    }
  }

  synchronized long size() {
    return entries;
  }
}
