package dev.fovea.protocol.topic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The literal segments that patterns use, each interned once, open-addressed by hash with linear
 * probing and at most half full. A match resolves every segment of its topic here without cutting
 * the topic into strings; a segment that no pattern uses resolves to null and can only be matched
 * by a wildcard.
 *
 * <p>Readers take the table with one volatile read and its slots with acquire loads; the writer,
 * under {@link TopicTrie}'s lock, fills slots with release stores and publishes a table that must
 * grow whole. A slot only changes from empty to a segment, from a segment to {@link #REMOVED}, or
 * from that to a new segment.
 */
final class SegmentDictionary {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Segment[].class);
  private static final Segment REMOVED = new Segment("");
  private static final int MIN_CAPACITY = 16;

  private volatile Segment[] table = new Segment[MIN_CAPACITY];
  private int slotsUsed;
  private int size;

  /** The current table, for {@link #lookUp}. */
  Segment[] table() {
    return table;
  }

  /**
   * The interned segment equal to {@code topic[start, end)}, whose {@link String#hashCode} is
   * {@code hash}, or null. The table is at most half full, so a probe ends at an empty slot.
   */
  static Segment lookUp(Segment[] table, String topic, int start, int end, int hash) {
    int mask = table.length - 1;
    int length = end - start;
    for (int i = Segment.slot(hash) & mask; ; i = (i + 1) & mask) {
      Segment segment = (Segment) SLOT.getAcquire(table, i);
      if (segment == null) {
        return null;
      }
      if (segment != REMOVED
          && segment.hash == hash
          && segment.name.length() == length
          && segment.name.regionMatches(0, topic, start, length)) {
        return segment;
      }
    }
  }

  Segment find(String name) {
    return lookUp(table, name, 0, name.length(), name.hashCode());
  }

  /**
   * The interned segment for the name, added if new, with one more use counted. Under the lock;
   * every call is paired with a {@link #release}.
   */
  Segment acquire(String name) {
    Segment segment = find(name);
    if (segment == null) {
      segment = new Segment(name);
      add(segment);
    }
    segment.uses++;
    return segment;
  }

  /** Counts one use less, and drops the segment once nothing uses it. Under the lock. */
  void release(Segment segment) {
    if (--segment.uses > 0) {
      return;
    }
    Segment[] current = table;
    int mask = current.length - 1;
    for (int i = segment.slot & mask; ; i = (i + 1) & mask) {
      if (current[i] == segment) {
        SLOT.setRelease(current, i, REMOVED);
        size--;
        return;
      }
    }
  }

  private void add(Segment segment) {
    Segment[] current = table;
    if (2 * (slotsUsed + 1) > current.length) {
      int capacity = MIN_CAPACITY;
      while (capacity < 4 * (size + 1)) {
        capacity <<= 1;
      }
      Segment[] rebuilt = new Segment[capacity];
      for (Segment kept : current) {
        if (kept != null && kept != REMOVED) {
          rebuilt[freeSlot(rebuilt, kept.slot)] = kept;
        }
      }
      rebuilt[freeSlot(rebuilt, segment.slot)] = segment;
      slotsUsed = size + 1;
      table = rebuilt;
    } else {
      int slot = freeSlot(current, segment.slot);
      if (current[slot] == null) {
        slotsUsed++;
      }
      SLOT.setRelease(current, slot, segment);
    }
    size++;
  }

  private static int freeSlot(Segment[] table, int start) {
    int mask = table.length - 1;
    int i = start & mask;
    while (table[i] != null && table[i] != REMOVED) {
      i = (i + 1) & mask;
    }
    return i;
  }
}
