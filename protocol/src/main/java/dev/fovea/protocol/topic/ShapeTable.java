package dev.fovea.protocol.topic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The patterns of at most two {@code **} keyed by their {@link PatternShape} and literal segments,
 * in one open-addressed table: every exact pattern, and the wildcard patterns of up to {@link
 * #DEFAULT_MAX_WILDCARD_SHAPES} shapes. {@link TopicTrie} keeps the others in its trie.
 *
 * <p><b>Why.</b> A trie walk reads one node after another, each address known only once the node
 * before it has been read, and at a million subscriptions nearly every node is a cache and TLB miss
 * of a few hundred nanoseconds on a virtual machine. Here the topic alone gives every key a match
 * needs, so all of its lookups are independent: a match computes the keys of every shape that fits
 * the topic's depth (one per window for a shape with a middle), drops those the filter rules out,
 * reads the slots of the rest and then the {@link PatternGroup}s found, and the processor overlaps
 * the misses of each of those two steps.
 *
 * <p><b>Layout.</b> A generation holds the slots, an array of groups probed linearly and at most
 * half full, and the filter, a blocked Bloom filter of three bits in one 64-bit word per key, a
 * thirty-second of the slots' length, which stays in cache where the slots cannot. The filter holds
 * the keys of wildcard patterns only: a topic has one exact key, looked up straight away, and
 * usually a subscriber to it, where most of its wildcard keys are held by nobody. A key is the
 * shape's seed plus the tags of the literals, each times a weight for its place in the tuple,
 * mixed; keys can collide, so a group found by its key is checked literal by literal, by identity,
 * against the topic.
 *
 * <p><b>Concurrency.</b> Only the writer, under {@link TopicTrie}'s lock, changes the table. Groups
 * are immutable and replaced whole; the writer sets the filter bits of a key before it stores a
 * group under it, with release stores, and readers load slots with acquire. A slot goes from empty
 * to a group, from a group to another of the same pattern or to the removed marker, and from that
 * to a group. A table that must grow is rebuilt beside the old one, which no write touches after,
 * and published whole, so a reader that keeps the generation it started with sees each pattern as
 * it was before or after a write. Filter bits are only added while a generation lives: a removal
 * costs a false positive at worst, never a miss.
 */
final class ShapeTable {
  /** Beyond this many shapes with wildcards, new shapes go to the trie: each costs every match. */
  static final int DEFAULT_MAX_WILDCARD_SHAPES = 64;

  /** A pattern with more literals than this goes to the trie. */
  static final int MAX_LITERALS = 64;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(PatternGroup[].class);
  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
  private static final PatternGroup REMOVED = PatternGroup.removed();
  private static final int MIN_CAPACITY = 16;
  private static final int SLOTS_PER_FILTER_WORD = 32;

  private final int maxWildcardShapes;

  /** The weight of each place in a key's tuple; random per table. */
  private final long[] weights = new long[MAX_LITERALS];

  private final Map<String, PatternShape> shapes = new HashMap<>();
  private int wildcardShapes;

  /** The shapes a topic of each depth can match; the last entry holds for every depth beyond. */
  private volatile PatternShape[][] shapesByDepth = {new PatternShape[0]};

  private volatile Generation generation = new Generation(MIN_CAPACITY);

  ShapeTable(int maxWildcardShapes) {
    this(maxWildcardShapes, () -> ThreadLocalRandom.current().nextLong() | 1);
  }

  /** A table whose key weights come from the supplier: tests give zeros to make keys collide. */
  ShapeTable(int maxWildcardShapes, LongSupplier weights) {
    this.maxWildcardShapes = maxWildcardShapes;
    for (int i = 0; i < MAX_LITERALS; i++) {
      this.weights[i] = weights.getAsLong();
    }
  }

  /** The slots and filter of one size of the table; readers keep the one they started with. */
  static final class Generation {
    final PatternGroup[] slots;
    final long[] filter;
    final int mask;
    final int filterMask;

    /** Under the lock: slots not empty, and of those the live groups. */
    int used;

    int live;

    Generation(int capacity) {
      this.slots = new PatternGroup[capacity];
      this.filter = new long[Math.max(1, capacity / SLOTS_PER_FILTER_WORD)];
      this.mask = capacity - 1;
      this.filterMask = filter.length - 1;
    }

    /** Whether the filter lets the key through; false means no group has it. */
    boolean mayHold(long key) {
      long bits = bits(key);
      return ((long) WORD.getOpaque(filter, filterIndex(key)) & bits) == bits;
    }

    /** The group in a slot; null for an empty slot, where a probe ends. */
    PatternGroup slot(int index) {
      return (PatternGroup) SLOT.getAcquire(slots, index);
    }

    int filterIndex(long key) {
      return (int) (key >>> 24) & filterMask;
    }
  }

  /**
   * The three filter bits of a key, from its top bits, which neither the slot index (the low bits)
   * nor the filter word's index (from bit 24) uses below four million slots.
   */
  static long bits(long key) {
    return (1L << (key >>> 46)) | (1L << (key >>> 52)) | (1L << (key >>> 58));
  }

  /** The final mix of a key's sum (MurmurHash3's finalizer), so that its low bits are spread. */
  static long mix(long sum) {
    long key = (sum ^ (sum >>> 33)) * 0xff51afd7ed558ccdL;
    key = (key ^ (key >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return key ^ (key >>> 33);
  }

  long weight(int place) {
    return weights[place];
  }

  Generation generation() {
    return generation;
  }

  PatternShape[] shapesFor(int depth) {
    PatternShape[][] byDepth = shapesByDepth;
    return byDepth[Math.min(depth, byDepth.length - 1)];
  }

  /** Whether a pattern split into these segments would be kept here rather than in the trie. */
  boolean accepts(String[] names) {
    if (shapes.containsKey(PatternShape.signature(names))) {
      return true;
    }
    int globstars = 0;
    int literals = 0;
    boolean wildcard = false;
    for (String name : names) {
      boolean star = name.equals("*");
      boolean globstar = name.equals("**");
      globstars += globstar ? 1 : 0;
      literals += star || globstar ? 0 : 1;
      wildcard |= star || globstar;
    }
    return globstars <= 2
        && literals <= MAX_LITERALS
        && (!wildcard || wildcardShapes < maxWildcardShapes);
  }

  /** Adds the pair; the pattern must be {@link #accepts accepted}. Under the lock. */
  IndexChange add(String[] names, Object value, SegmentDictionary dictionary) {
    PatternShape shape = shapes.get(PatternShape.signature(names));
    if (shape == null) {
      shape = register(names);
    }
    String[] literalNames = shape.literals(names);
    Segment[] known = find(literalNames, dictionary);
    int slot = known == null ? -1 : slotOf(generation, key(shape, known), shape, known);
    if (slot >= 0) {
      PatternGroup group = generation.slots[slot];
      if (group.indexOf(value) >= 0) {
        return IndexChange.NONE;
      }
      SLOT.setRelease(generation.slots, slot, group.with(value));
      return IndexChange.VALUE;
    }

    Segment[] literals = new Segment[literalNames.length];
    for (int i = 0; i < literals.length; i++) {
      literals[i] = dictionary.acquire(literalNames[i]);
    }
    long key = key(shape, literals);
    insert(new PatternGroup(key, shape, literals, new Object[] {value}));
    shape.patterns++;
    return IndexChange.PATTERN;
  }

  /** Removes the pair if present. Under the lock. */
  IndexChange remove(String[] names, Object value, SegmentDictionary dictionary) {
    PatternShape shape = shapes.get(PatternShape.signature(names));
    if (shape == null) {
      return IndexChange.NONE;
    }
    Segment[] literals = find(shape.literals(names), dictionary);
    if (literals == null) {
      return IndexChange.NONE;
    }
    Generation current = generation;
    int slot = slotOf(current, key(shape, literals), shape, literals);
    if (slot < 0) {
      return IndexChange.NONE;
    }
    PatternGroup group = current.slots[slot];
    int index = group.indexOf(value);
    if (index < 0) {
      return IndexChange.NONE;
    }
    if (group.valueCount() > 1) {
      SLOT.setRelease(current.slots, slot, group.without(index));
      return IndexChange.VALUE;
    }

    SLOT.setRelease(current.slots, slot, REMOVED);
    current.live--;
    for (Segment literal : literals) {
      dictionary.release(literal);
    }
    if (--shape.patterns == 0) {
      unregister(shape);
    }
    return IndexChange.PATTERN;
  }

  /** Adds every pattern held here to the set. Under the lock. */
  void collectPatterns(Set<String> patterns) {
    for (PatternGroup group : generation.slots) {
      if (group != null && group != REMOVED) {
        patterns.add(group.pattern());
      }
    }
  }

  private long key(PatternShape shape, Segment[] literals) {
    long sum = shape.seed;
    for (int i = 0; i < literals.length; i++) {
      sum += weights[i] * literals[i].tag;
    }
    return mix(sum);
  }

  /** The interned segments of the names, or null if one is not interned, so no pattern has it. */
  private static Segment[] find(String[] names, SegmentDictionary dictionary) {
    Segment[] segments = new Segment[names.length];
    for (int i = 0; i < names.length; i++) {
      segments[i] = dictionary.find(names[i]);
      if (segments[i] == null) {
        return null;
      }
    }
    return segments;
  }

  /** The slot of the group of the shape and literals, or -1. */
  private static int slotOf(
      Generation generation, long key, PatternShape shape, Segment[] literals) {
    PatternGroup[] slots = generation.slots;
    for (int i = (int) key & generation.mask; ; i = (i + 1) & generation.mask) {
      PatternGroup group = slots[i];
      if (group == null) {
        return -1;
      }
      if (group.key == key && group.holds(shape, literals)) {
        return i;
      }
    }
  }

  private void insert(PatternGroup group) {
    Generation current = generation;
    if (2 * (current.used + 1) > current.slots.length) {
      current = rebuilt(current, current.live + 1);
    }
    int slot = freeSlot(current, group.key);
    if (current.slots[slot] == null) {
      current.used++;
    }
    current.live++;
    if (group.shape.hasWildcard()) {
      long[] filter = current.filter;
      int word = current.filterIndex(group.key);
      WORD.setRelease(filter, word, filter[word] | bits(group.key));
    }
    SLOT.setRelease(current.slots, slot, group);
    generation = current;
  }

  /** A generation with room for this many groups, holding the live ones; not yet published. */
  private static Generation rebuilt(Generation old, int groups) {
    int capacity = MIN_CAPACITY;
    while (capacity < 2 * groups + groups / 2) {
      capacity <<= 1;
    }
    Generation fresh = new Generation(capacity);
    for (PatternGroup kept : old.slots) {
      if (kept != null && kept != REMOVED) {
        fresh.slots[freeSlot(fresh, kept.key)] = kept;
        if (kept.shape.hasWildcard()) {
          fresh.filter[fresh.filterIndex(kept.key)] |= bits(kept.key);
        }
        fresh.used++;
        fresh.live++;
      }
    }
    return fresh;
  }

  private static int freeSlot(Generation generation, long key) {
    PatternGroup[] slots = generation.slots;
    int i = (int) key & generation.mask;
    while (slots[i] != null && slots[i] != REMOVED) {
      i = (i + 1) & generation.mask;
    }
    return i;
  }

  private PatternShape register(String[] names) {
    PatternShape shape = PatternShape.of(names, ThreadLocalRandom.current().nextLong());
    shapes.put(shape.signature, shape);
    if (shape.hasWildcard()) {
      wildcardShapes++;
    }
    indexByDepth();
    return shape;
  }

  private void unregister(PatternShape shape) {
    shapes.remove(shape.signature);
    if (shape.hasWildcard()) {
      wildcardShapes--;
    }
    indexByDepth();
  }

  private void indexByDepth() {
    int last = 1;
    for (PatternShape shape : shapes.values()) {
      last = Math.max(last, shape.globstars == 0 ? shape.prefixLength + 1 : shape.minDepth());
    }
    PatternShape[][] byDepth = new PatternShape[last + 1][];
    for (int depth = 0; depth <= last; depth++) {
      List<PatternShape> fitting = new ArrayList<>();
      for (PatternShape shape : shapes.values()) {
        if (shape.fits(depth)) {
          fitting.add(shape);
        }
      }
      byDepth[depth] = fitting.toArray(new PatternShape[0]);
    }
    shapesByDepth = byDepth;
  }
}
