package dev.fovea.protocol.topic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The index of subscriptions: which values (subscriptions) have a pattern that matches a topic.
 *
 * <p><b>Structure.</b> Two parts. Every pattern with at most two {@code **}, which is every exact
 * pattern and nearly every wildcard one, sits in a {@link ShapeTable}, keyed by its {@link
 * PatternShape} (where its wildcards are) and its literal segments: given a topic, each shape names
 * the segments a matching pattern must have, so a match is a handful of independent hash lookups,
 * one per shape that fits the topic's depth. Patterns of more {@code **}, and patterns of new
 * shapes once the table has {@link ShapeTable#DEFAULT_MAX_WILDCARD_SHAPES} of them, go to a trie
 * with one edge per pattern segment. Each trie node has its first exact child in two fields and the
 * others in an open-addressed table, a separate {@code *} child and {@code **} child, and the
 * values whose pattern ends at that node. Both parts compare segments by identity: every literal
 * segment a pattern uses is interned once in a {@link SegmentDictionary}, and a match first
 * resolves each topic segment there without cutting the topic into strings (a segment no pattern
 * uses resolves to nothing and can only be matched by a wildcard).
 *
 * <p><b>The trie walk.</b> From the root, at each node a match follows the exact child for the next
 * segment, the {@code *} child, and the {@code **} child, which it enters once for every split
 * point of the remaining segments (the {@code **} consumes zero, one, ... all of them). Values are
 * reported at the nodes reached when the topic is used up. A node keeps, for its exact children
 * together, for its {@code *} child and for its {@code **} child, a bit mask of the numbers of
 * remaining topic segments that some pattern below can still match (bit 63 stands for 63 or more),
 * and a match skips a branch whose mask rules out the segments it has left. Masks only gain bits
 * while their node lives: a removal leaves them as they were, which can cost pruning but never a
 * match. Below a second {@code **} the same (node, segment index) state would be reached once per
 * combination of split points, exponential in the number of {@code **}; so a {@code **} node that
 * has a {@code **} above it remembers, for the current match, the lowest index it was entered from,
 * and is never expanded twice for the same index.
 *
 * <p><b>Cost.</b> Neither part looks at subscriptions whose pattern diverges from the topic, so a
 * match grows with the topic's depth, the number of shapes and the wildcard branches taken, not
 * with the number of subscriptions. The table is there for large indexes: past a few hundred
 * thousand subscriptions the index no longer fits in the processor's caches and TLB, and a trie
 * walk waits on memory once per node, one node after the other, where the table's lookups overlap
 * (see {@code BENCHMARKS.md}). A value reported by several patterns is reported once: a short list
 * of what was reported is scanned, and replaced by a hash set once it grows long. A match allocates
 * nothing: each thread keeps its match state for the next match, and a match started from inside
 * another's action, on the same thread, takes a fresh one.
 *
 * <p><b>Concurrency.</b> Readers take no lock and never block; writers serialize on a private lock.
 * {@link ShapeTable} and {@link SegmentDictionary} say how their readers stay safe. In the trie,
 * child tables are arrays of references that the writer fills with release stores and readers read
 * with acquire loads; a slot only ever changes from empty to a child, from a child to a tombstone
 * on removal, or from a tombstone to a new child, and a table that must grow is copied and
 * published whole. The segment of a node's first child is written once, after the child, and never
 * changes; removing that child clears only the child. The remaining fields of a node are volatile,
 * and its values are an array that writers replace with a copy. Apart from interning segments,
 * attaching or detaching nodes that hold no values and widening masks, which no match can tell
 * apart, a write changes one thing: it publishes one value array or one group, after everything
 * that leads to it. So a reader racing a writer sees the index as it was before or after that pair
 * was added or removed, never in between. A reader that already stepped into a node being pruned
 * finds it empty, which is what the trie looks like after the removal; a reader that resolved a
 * segment just before its last use was removed never finds a pattern added for it later, which is
 * what the index looked like when it resolved it. The price is that writing a value costs a copy of
 * the values already at its pattern, which is quadratic when thousands of subscriptions share one
 * pattern; a concurrent set at patterns with many values would fix that.
 *
 * <p>The index does not validate: callers check patterns and topics with {@link Topics} first. An
 * invalid pattern is stored as literal segments and matches nothing meaningful.
 *
 * @param <V> the subscription; pairs are compared with {@link Object#equals}
 */
public final class TopicTrie<V> {
  private static final Object[] NO_VALUES = new Object[0];
  private static final VarHandle NODE_SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final Node REMOVED_NODE = new Node(null, false);

  private final Object lock = new Object();
  private final Node root = new Node(null, false);
  private final SegmentDictionary dictionary = new SegmentDictionary();
  private final ShapeTable table;
  private volatile int size;
  private volatile int patternCount;

  /** While the trie holds no pattern, a match only looks in the table. */
  private volatile int triePatternCount;

  public TopicTrie() {
    this(ShapeTable.DEFAULT_MAX_WILDCARD_SHAPES);
  }

  /**
   * An index whose table takes at most this many shapes with wildcards; patterns of later ones go
   * to the trie. Each shape costs every match a key, so the limit bounds a match's work; zero puts
   * every wildcard pattern in the trie.
   */
  public TopicTrie(int maxWildcardShapes) {
    if (maxWildcardShapes < 0) {
      throw new IllegalArgumentException(
          "max wildcard shapes must not be negative, was " + maxWildcardShapes);
    }
    this.table = new ShapeTable(maxWildcardShapes);
  }

  /** An index whose table computes keys with these weights, for tests of colliding keys. */
  TopicTrie(int maxWildcardShapes, LongSupplier keyWeights) {
    this.table = new ShapeTable(maxWildcardShapes, keyWeights);
  }

  /** Adds a subscription; returns whether this (pattern, value) pair was new. */
  public boolean add(String pattern, V value) {
    Objects.requireNonNull(value, "value");
    String[] names = Topics.segments(pattern);
    synchronized (lock) {
      IndexChange change;
      if (triePatternCount > 0 && trieHolds(names)) {
        change = addToTrie(names, value);
      } else if (table.accepts(names)) {
        change = table.add(names, value, dictionary);
      } else {
        change = addToTrie(names, value);
      }
      if (change != IndexChange.NONE) {
        size++;
      }
      if (change == IndexChange.PATTERN) {
        patternCount++;
      }
      return change != IndexChange.NONE;
    }
  }

  /**
   * Removes a subscription and prunes what it leaves empty; returns whether the pair was present.
   */
  public boolean remove(String pattern, V value) {
    String[] names = Topics.segments(pattern);
    synchronized (lock) {
      IndexChange change = table.remove(names, value, dictionary);
      if (change == IndexChange.NONE && triePatternCount > 0) {
        change = removeFromTrie(names, value);
      }
      if (change != IndexChange.NONE) {
        size--;
      }
      if (change == IndexChange.PATTERN) {
        patternCount--;
      }
      return change != IndexChange.NONE;
    }
  }

  /** The values whose pattern matches the topic, each once; a new set, empty when none match. */
  public Set<V> match(String topic) {
    Set<V> matched = new HashSet<>();
    forEachMatch(topic, matched::add);
    return matched;
  }

  /** Calls the action once for each value that has at least one pattern matching the topic. */
  public void forEachMatch(String topic, Consumer<? super V> action) {
    Match<V> match = Match.take();
    try {
      match.start(dictionary.table(), topic, action);
      match.lookUp(table);
      if (triePatternCount > 0) {
        match.visit(root, 0);
      }
    } finally {
      match.finish();
    }
  }

  /** The number of distinct patterns that have at least one value. */
  public int patternCount() {
    return patternCount;
  }

  /** The number of (pattern, value) pairs. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** A snapshot of the distinct patterns that have at least one value. */
  public Set<String> patterns() {
    synchronized (lock) {
      Set<String> patterns = new HashSet<>();
      table.collectPatterns(patterns);
      collectPatterns(root, new ArrayList<>(), patterns);
      return Collections.unmodifiableSet(patterns);
    }
  }

  /**
   * The distinct patterns kept in the trie and walked for every match rather than looked up by
   * shape: those of three or more {@code **}, and those of wildcard shapes past the table's limit.
   */
  public int walkedPatternCount() {
    return triePatternCount;
  }

  /** Whether the trie has a node with values for the pattern. Under the lock. */
  private boolean trieHolds(String[] names) {
    Node node = root;
    for (int i = 0; i < names.length && node != null; i++) {
      node = child(node, names[i]);
    }
    return node != null && node.values.length > 0;
  }

  private IndexChange addToTrie(String[] names, V value) {
    Node[] path = new Node[names.length + 1];
    path[0] = root;
    boolean globstarAbove = false;
    for (int i = 0; i < names.length; i++) {
      path[i + 1] = childForAdd(path[i], names[i], globstarAbove);
      globstarAbove |= names[i].equals("**");
    }
    Node node = path[names.length];
    Object[] values = node.values;
    if (indexOf(values, value) >= 0) {
      return IndexChange.NONE;
    }

    widenReach(path, names);
    node.values = appended(values, value);
    if (values.length > 0) {
      return IndexChange.VALUE;
    }
    triePatternCount++;
    return IndexChange.PATTERN;
  }

  /**
   * Records, in each node along the path, how many remaining segments the pattern can match from
   * the child it leads to: exactly the number of segments left below, or at least that many once a
   * {@code **} is among them.
   */
  private static void widenReach(Node[] path, String[] names) {
    long reach = 1L;
    for (int i = names.length - 1; i >= 0; i--) {
      Node parent = path[i];
      switch (names[i]) {
        case "*":
          parent.starReach |= reach;
          reach = oneMore(reach);
          break;
        case "**":
          parent.globstarReach |= reach;
          reach = -1L << Long.numberOfTrailingZeros(reach);
          break;
        default:
          parent.exactReach |= reach;
          reach = oneMore(reach);
      }
    }
  }

  /** The reach shifted by one segment; bit 63, "63 or more", stays set. */
  private static long oneMore(long reach) {
    return (reach << 1) | (reach & Long.MIN_VALUE);
  }

  private IndexChange removeFromTrie(String[] names, V value) {
    Node[] path = new Node[names.length + 1];
    path[0] = root;
    for (int i = 0; i < names.length; i++) {
      path[i + 1] = child(path[i], names[i]);
      if (path[i + 1] == null) {
        return IndexChange.NONE;
      }
    }
    Node node = path[names.length];
    Object[] values = node.values;
    int index = indexOf(values, value);
    if (index < 0) {
      return IndexChange.NONE;
    }

    node.values = values.length == 1 ? NO_VALUES : without(values, index);
    if (values.length > 1) {
      return IndexChange.VALUE;
    }
    triePatternCount--;
    for (int i = names.length; i > 0 && path[i].isEmpty(); i--) {
      detach(path[i - 1], names[i - 1], path[i]);
    }
    return IndexChange.PATTERN;
  }

  private Node child(Node node, String name) {
    switch (name) {
      case "*":
        return node.star;
      case "**":
        return node.globstar;
      default:
        Segment segment = dictionary.find(name);
        return segment == null ? null : node.exactChild(segment);
    }
  }

  private Node childForAdd(Node node, String name, boolean globstarAbove) {
    switch (name) {
      case "*":
        if (node.star == null) {
          node.star = new Node(null, false);
        }
        return node.star;
      case "**":
        if (node.globstar == null) {
          node.globstar = new Node(null, globstarAbove);
        }
        return node.globstar;
      default:
        Segment known = dictionary.find(name);
        Node child = known == null ? null : node.exactChild(known);
        if (child == null) {
          child = new Node(dictionary.acquire(name), false);
          node.attach(child);
        }
        return child;
    }
  }

  private void detach(Node parent, String name, Node child) {
    switch (name) {
      case "*":
        parent.star = null;
        break;
      case "**":
        parent.globstar = null;
        break;
      default:
        parent.detach(child);
        dictionary.release(child.segment);
    }
  }

  /** The first empty or removed slot of a child table from where the probe starts. */
  private static int freeSlot(Node[] table, int start) {
    int mask = table.length - 1;
    int i = start & mask;
    while (table[i] != null && table[i] != REMOVED_NODE) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static void collectPatterns(Node node, List<String> path, Set<String> patterns) {
    if (node.values.length > 0) {
      patterns.add(String.join(".", path));
    }
    Node first = node.first;
    if (first != null) {
      collectChild(first.segment.name, first, path, patterns);
    }
    Node[] children = node.children;
    if (children != null) {
      for (Node child : children) {
        if (child != null && child != REMOVED_NODE) {
          collectChild(child.segment.name, child, path, patterns);
        }
      }
    }
    collectChild("*", node.star, path, patterns);
    collectChild("**", node.globstar, path, patterns);
  }

  private static void collectChild(
      String segment, Node child, List<String> path, Set<String> patterns) {
    if (child != null) {
      path.add(segment);
      collectPatterns(child, path, patterns);
      path.remove(path.size() - 1);
    }
  }

  private static Object[] appended(Object[] values, Object value) {
    Object[] grown = Arrays.copyOf(values, values.length + 1);
    grown[values.length] = value;
    return grown;
  }

  private static Object[] without(Object[] values, int index) {
    Object[] shrunk = new Object[values.length - 1];
    System.arraycopy(values, 0, shrunk, 0, index);
    System.arraycopy(values, index + 1, shrunk, index, values.length - index - 1);
    return shrunk;
  }

  private static int indexOf(Object[] values, Object value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i].equals(value)) {
        return i;
      }
    }
    return -1;
  }

  /** One trie node. Readers read its fields without a lock; only the trie's writers change them. */
  private static final class Node {
    /** The label of the exact edge into this node; null for the root and wildcard nodes. */
    final Segment segment;

    /** A {@code **} node below another {@code **}: the only kind a match must memoize. */
    final boolean nestedGlobstar;

    /**
     * The first exact child, kept in fields so that the many nodes with one child need no table.
     * The segment is written once, after the child, and never changes: removing the child clears
     * {@link #first} only, and only the same segment can take the place again. So a reader that
     * finds its segment here reads the right child, or none.
     */
    volatile Segment firstSegment;

    volatile Node first;

    /**
     * The other exact children, open-addressed by their segment, at most half full; created with
     * the first of them. A slot holds a child, {@link #REMOVED_NODE}, or nothing.
     */
    volatile Node[] children;

    volatile Node star;
    volatile Node globstar;

    /** The values whose pattern ends here; never modified once assigned. */
    volatile Object[] values = NO_VALUES;

    /** Bit r: some pattern below the exact children, the star, the globstar matches r segments. */
    volatile long exactReach;

    volatile long starReach;
    volatile long globstarReach;

    /** Under the lock: slots of {@link #children} not empty, and of those, the live children. */
    int slotsUsed;

    int tableChildren;

    Node(Segment segment, boolean nestedGlobstar) {
      this.segment = segment;
      this.nestedGlobstar = nestedGlobstar;
    }

    Node exactChild(Segment label) {
      if (firstSegment == label) {
        return first;
      }
      Node[] table = children;
      if (table == null) {
        return null;
      }
      int mask = table.length - 1;
      for (int i = label.slot & mask; ; i = (i + 1) & mask) {
        Node child = (Node) NODE_SLOT.getAcquire(table, i);
        if (child == null) {
          return null;
        }
        if (child.segment == label) {
          return child;
        }
      }
    }

    /** Adds an exact child whose segment has none here yet. Under the lock. */
    void attach(Node child) {
      Segment label = child.segment;
      if (firstSegment == null || firstSegment == label) {
        first = child;
        firstSegment = label;
        return;
      }

      Node[] table = children;
      if (table != null && 2 * (slotsUsed + 1) <= table.length) {
        int slot = freeSlot(table, label.slot);
        if (table[slot] == null) {
          slotsUsed++;
        }
        NODE_SLOT.setRelease(table, slot, child);
      } else {
        int capacity = 2;
        while (capacity < 2 * (tableChildren + 1)) {
          capacity <<= 1;
        }
        Node[] rebuilt = new Node[capacity];
        if (table != null) {
          for (Node kept : table) {
            if (kept != null && kept != REMOVED_NODE) {
              rebuilt[freeSlot(rebuilt, kept.segment.slot)] = kept;
            }
          }
        }
        rebuilt[freeSlot(rebuilt, label.slot)] = child;
        slotsUsed = tableChildren + 1;
        children = rebuilt;
      }
      tableChildren++;
    }

    /** Removes an exact child. Under the lock. */
    void detach(Node child) {
      if (first == child) {
        first = null;
        return;
      }
      if (--tableChildren == 0) {
        children = null;
        slotsUsed = 0;
        return;
      }
      Node[] table = children;
      int mask = table.length - 1;
      for (int i = child.segment.slot & mask; ; i = (i + 1) & mask) {
        if (table[i] == child) {
          NODE_SLOT.setRelease(table, i, REMOVED_NODE);
          return;
        }
      }
    }

    boolean isEmpty() {
      return values.length == 0
          && star == null
          && globstar == null
          && first == null
          && tableChildren == 0;
    }
  }

  /** The state of one match: the topic, where it has been, and what it has reported. */
  private static final class Match<V> {
    /** Past this many values a match deduplicates with a hash set rather than a scan. */
    private static final int SCANNED_MAX = 16;

    /** Keys a match makes room for before it grows its arrays. */
    private static final int USUAL_KEYS = 16;

    /** Arrays a match grew past this length are dropped when it finishes, not kept for the next. */
    private static final int KEPT_LENGTH = 256;

    /** Topics deeper than this grow the array a match resolves their segments into. */
    private static final int USUAL_DEPTH = 8;

    /**
     * Each thread's match, kept from one match to the next so that a match allocates nothing: at a
     * million subscriptions the fresh lines a match would write cost as much as the reads.
     */
    private static final ThreadLocal<Match<?>> REUSED = ThreadLocal.withInitial(Match::new);

    /** The topic's segments as interned, null where no pattern has the segment. */
    private Segment[] topic = new Segment[USUAL_DEPTH];

    private int depth;
    private Consumer<? super V> action;

    /** Whether a match is under way with this state, so that a nested one must take another. */
    private boolean inUse;

    /** The values of the first pattern that reported any; they need no dedup on their own. */
    private Object firstReportedValue;

    private Object[] firstReportedValues;

    /**
     * Everything reported, once a second pattern reports: a list to scan, then a set. Empty until
     * then, so that a count of zero means nothing needs checking yet.
     */
    private Object[] reported = new Object[SCANNED_MAX];

    private int reportedCount;
    private Set<Object> reportedSet;

    /** For each nested {@code **} node reached, the lowest index it has been expanded from. */
    private Map<Node, Integer> expandedFrom;

    /** The table keys to look up, with the shape and window each was computed for. */
    private long[] keys = new long[USUAL_KEYS];

    private PatternShape[] keyShapes = new PatternShape[USUAL_KEYS];
    private int[] keyWindows = new int[USUAL_KEYS];

    /** What each key's first slot held when the key was computed; read then to start its miss. */
    private PatternGroup[] keySlots = new PatternGroup[USUAL_KEYS];

    private int keyCount;

    /**
     * This thread's match state, or a new one when this thread is already matching: an action may
     * match again from inside a match.
     */
    @SuppressWarnings("unchecked")
    static <V> Match<V> take() {
      Match<V> match = (Match<V>) REUSED.get();
      if (match.inUse) {
        match = new Match<>();
      }
      match.inUse = true;
      return match;
    }

    /** Resolves the topic's segments in the dictionary, which a match starts from. */
    void start(Segment[] dictionary, String topic, Consumer<? super V> action) {
      this.action = action;
      Segment[] segments = this.topic;
      int found = 0;
      int start = 0;
      int hash = 0;
      int length = topic.length();
      for (int i = 0; i <= length; i++) {
        char c = i < length ? topic.charAt(i) : '.';
        if (c != '.') {
          hash = 31 * hash + c;
          continue;
        }
        if (found == segments.length) {
          segments = Arrays.copyOf(segments, 2 * found);
          this.topic = segments;
        }
        segments[found++] = SegmentDictionary.lookUp(dictionary, topic, start, i, hash);
        start = i + 1;
        hash = 0;
      }
      this.depth = found;
    }

    /** Drops what this match held, so that the state keeps no value, group or action alive. */
    void finish() {
      Arrays.fill(topic, 0, depth, null);
      Arrays.fill(keyShapes, 0, keyCount, null);
      Arrays.fill(keySlots, 0, keyCount, null);
      Arrays.fill(reported, 0, reportedCount, null);
      action = null;
      firstReportedValue = null;
      firstReportedValues = null;
      reportedCount = 0;
      reportedSet = null;
      expandedFrom = null;
      keyCount = 0;
      if (reported.length > KEPT_LENGTH) {
        reported = new Object[SCANNED_MAX];
      }
      if (keys.length > KEPT_LENGTH) {
        keys = new long[USUAL_KEYS];
        keyShapes = new PatternShape[USUAL_KEYS];
        keyWindows = new int[USUAL_KEYS];
        keySlots = new PatternGroup[USUAL_KEYS];
      }
      if (topic.length > KEPT_LENGTH) {
        topic = new Segment[USUAL_DEPTH];
      }
      inUse = false;
    }

    /**
     * Reports the table's patterns that match: first the key of every shape that fits the topic's
     * depth (of every window, for a shape with a middle) that the filter lets through, each with
     * its first slot read as it is computed, then each key's groups checked, so that the reads do
     * not wait on one another.
     */
    void lookUp(ShapeTable table) {
      PatternShape[] shapes = table.shapesFor(depth);
      if (shapes.length == 0) {
        return;
      }
      ShapeTable.Generation generation = table.generation();
      shapes:
      for (PatternShape shape : shapes) {
        long sum = shape.seed;
        int place = 0;
        for (int position : shape.prefixLiterals) {
          Segment segment = topic[position];
          if (segment == null) {
            continue shapes;
          }
          sum += table.weight(place++) * segment.tag;
        }
        int middlePlace = place;
        place += shape.middleLiterals.length;
        int suffixStart = depth - shape.suffixLength;
        for (int position : shape.suffixLiterals) {
          Segment segment = topic[suffixStart + position];
          if (segment == null) {
            continue shapes;
          }
          sum += table.weight(place++) * segment.tag;
        }
        if (shape.globstars < 2) {
          offer(generation, ShapeTable.mix(sum), shape, 0);
          continue;
        }
        windows:
        for (int window = shape.prefixLength;
            window <= suffixStart - shape.middleLength;
            window++) {
          long windowSum = sum;
          int windowPlace = middlePlace;
          for (int position : shape.middleLiterals) {
            Segment segment = topic[window + position];
            if (segment == null) {
              continue windows;
            }
            windowSum += table.weight(windowPlace++) * segment.tag;
          }
          offer(generation, ShapeTable.mix(windowSum), shape, window);
        }
      }

      for (int i = 0; i < keyCount; i++) {
        long key = keys[i];
        PatternShape shape = keyShapes[i];
        PatternGroup group = keySlots[i];
        for (int slot = (int) key & generation.mask; group != null; ) {
          if (group.key == key && group.shape == shape && holds(group, keyWindows[i])) {
            report(group.first, group.all);
            break;
          }
          slot = (slot + 1) & generation.mask;
          group = generation.slot(slot);
        }
      }
    }

    private void offer(ShapeTable.Generation generation, long key, PatternShape shape, int window) {
      if (shape.hasWildcard() && !generation.mayHold(key)) {
        return;
      }
      if (keyCount == keys.length) {
        keys = Arrays.copyOf(keys, 2 * keyCount);
        keyShapes = Arrays.copyOf(keyShapes, 2 * keyCount);
        keyWindows = Arrays.copyOf(keyWindows, 2 * keyCount);
        keySlots = Arrays.copyOf(keySlots, 2 * keyCount);
      }
      keys[keyCount] = key;
      keyShapes[keyCount] = shape;
      keyWindows[keyCount] = window;
      keySlots[keyCount] = generation.slot((int) key & generation.mask);
      keyCount++;
    }

    /** Whether the group's literals are the topic's segments where its shape puts them. */
    private boolean holds(PatternGroup group, int window) {
      PatternShape shape = group.shape;
      int place = 0;
      for (int position : shape.prefixLiterals) {
        if (group.literal(place++) != topic[position]) {
          return false;
        }
      }
      for (int position : shape.middleLiterals) {
        if (group.literal(place++) != topic[window + position]) {
          return false;
        }
      }
      int suffixStart = depth - shape.suffixLength;
      for (int position : shape.suffixLiterals) {
        if (group.literal(place++) != topic[suffixStart + position]) {
          return false;
        }
      }
      return true;
    }

    /** Reports every value reachable from {@code node} with {@code topic[index..]} left over. */
    void visit(Node node, int index) {
      int left = depth - index;
      if (left == 0) {
        report(node.values);
      } else {
        long next = bit(left - 1);
        Segment segment = topic[index];
        if (segment != null && (node.exactReach & next) != 0) {
          Node child = node.exactChild(segment);
          if (child != null) {
            visit(child, index + 1);
          }
        }
        if ((node.starReach & next) != 0) {
          Node star = node.star;
          if (star != null) {
            visit(star, index + 1);
          }
        }
      }
      long globstarReach = node.globstarReach;
      if ((globstarReach & upTo(left)) != 0) {
        Node globstar = node.globstar;
        if (globstar != null) {
          expand(globstar, globstarReach, index);
        }
      }
    }

    /**
     * Lets the {@code **} node consume each possible number of the remaining segments, skipping the
     * numbers after which nothing below it can match.
     */
    private void expand(Node globstar, long reach, int from) {
      int until = depth + 1;
      if (globstar.nestedGlobstar) {
        if (expandedFrom == null) {
          expandedFrom = new IdentityHashMap<>();
        }
        Integer earlier = expandedFrom.get(globstar);
        if (earlier != null) {
          if (earlier <= from) {
            return;
          }
          until = earlier;
        }
        expandedFrom.put(globstar, from);
      }
      for (int index = from; index < until; index++) {
        if ((reach & bit(depth - index)) != 0) {
          visit(globstar, index);
        }
      }
    }

    /** The mask bit for this many remaining segments. */
    private static long bit(int left) {
      return 1L << Math.min(left, 63);
    }

    /** The mask bits for zero up to this many remaining segments. */
    private static long upTo(int left) {
      return left >= 63 ? -1L : (2L << left) - 1;
    }

    void report(Object[] values) {
      if (values.length > 0) {
        report(values[0], values.length > 1 ? values : null);
      }
    }

    /** Reports a pattern's values, given as the first and, if there are others, all of them. */
    @SuppressWarnings("unchecked")
    void report(Object first, Object[] all) {
      if (firstReportedValue == null) {
        firstReportedValue = first;
        firstReportedValues = all;
        if (all == null) {
          action.accept((V) first);
        } else {
          for (Object value : all) {
            action.accept((V) value);
          }
        }
        return;
      }
      if (reportedCount == 0) {
        startDeduplicating();
      }
      if (all == null) {
        if (firstTime(first)) {
          action.accept((V) first);
        }
        return;
      }
      for (Object value : all) {
        if (firstTime(value)) {
          action.accept((V) value);
        }
      }
    }

    /** Remembers the first pattern's values, which the next ones are checked against. */
    private void startDeduplicating() {
      if (firstReportedValues == null) {
        reported[0] = firstReportedValue;
        reportedCount = 1;
        return;
      }
      reportedCount = firstReportedValues.length;
      if (reportedCount > reported.length) {
        reported = new Object[2 * reportedCount];
      }
      System.arraycopy(firstReportedValues, 0, reported, 0, reportedCount);
    }

    /** Whether the value is reported for the first time in this match; remembers it. */
    private boolean firstTime(Object value) {
      if (reportedSet != null) {
        return reportedSet.add(value);
      }
      for (int i = 0; i < reportedCount; i++) {
        if (reported[i].equals(value)) {
          return false;
        }
      }
      if (reportedCount >= SCANNED_MAX) {
        reportedSet = new HashSet<>(Arrays.asList(reported).subList(0, reportedCount));
        reportedSet.add(value);
        return true;
      }
      if (reportedCount == reported.length) {
        reported = Arrays.copyOf(reported, 2 * reportedCount);
      }
      reported[reportedCount++] = value;
      return true;
    }
  }
}
