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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The index of wildcard subscriptions: which values (subscriptions) have a pattern that matches a
 * topic.
 *
 * <p><b>Structure.</b> A pattern without a wildcard matches one topic, itself, so those patterns
 * sit in one hash map keyed by the whole pattern. The patterns with a {@code *} or {@code **} form
 * a trie with one edge per pattern segment. Each node has its first exact child in two fields and
 * the others in an open-addressed table, a separate {@code *} child and {@code **} child, and the
 * values whose pattern ends at that node. Every segment that labels an exact edge is interned once
 * in a dictionary, and an exact edge is found by the identity of its segment. A match looks the
 * whole topic up in the map, resolves each topic segment in the dictionary without cutting the
 * topic into strings (a segment that no pattern uses resolves to nothing and can only be matched by
 * a wildcard), then walks the trie from the root: at each node it follows the exact child for the
 * next segment, the {@code *} child, and the {@code **} child, which it enters once for every split
 * point of the remaining segments (the {@code **} consumes zero, one, ... all of them). Values are
 * reported at the nodes reached when the topic is used up.
 *
 * <p><b>Pruning.</b> A node keeps, for its exact children together, for its {@code *} child and for
 * its {@code **} child, a bit mask of the numbers of remaining topic segments that some pattern
 * below can still match (bit 63 stands for 63 or more). A match skips a branch whose mask rules out
 * the segments it has left, without reading the child. Masks only gain bits while their node lives:
 * a removal leaves them as they were, which can cost pruning but never a match.
 *
 * <p><b>Cost.</b> A match never looks at subscriptions whose pattern diverges from the topic, so
 * its cost grows with the topic's depth and with the wildcard branches taken, not with the number
 * of subscriptions: one lookup of the topic in the map, one dictionary lookup per segment, and the
 * walk. Along a path without {@code **} a node is reached at most once. Below one {@code **} a node
 * can be reached once per split point, at most depth + 1 times. Below a second {@code **} the same
 * (node, segment index) state would be reached once per combination of split points, exponential in
 * the number of {@code **}; so a {@code **} node that has a {@code **} above it remembers, for the
 * current match, the lowest index it was entered from, and is never expanded twice for the same
 * index. That bounds a match by (nodes reached) x (depth + 1) table lookups whatever the patterns.
 * The memo is allocated only when such a nested {@code **} is reached. A value reported at several
 * nodes is reported once: a short list of what was reported is scanned, and replaced by a hash set
 * once it grows long.
 *
 * <p>Past a few hundred thousand subscriptions the trie no longer fits in a processor cache, and a
 * match costs about one memory access per distinct object it reads. That is why exact patterns stay
 * out of the trie, why an exact edge is one slot in a flat table rather than an entry of a
 * concurrent hash map (map, table, entry, key and key bytes), and why branches are pruned before
 * their node is read. It is still a node and, for a node of several children, a table per step: at
 * a million subscriptions on a small shared machine a match takes about 2 us at the median, most of
 * it waiting on memory (see {@code BENCHMARKS.md}). A node and its children in one object, or the
 * whole trie flattened into primitive arrays, would make a step one cache line.
 *
 * <p><b>Concurrency.</b> Readers take no lock and never block; writers serialize on a private lock.
 * The map of exact patterns is a {@link ConcurrentHashMap} whose value arrays are never modified
 * once published: writers replace them. The dictionary and the child tables are arrays of
 * references that the writer fills with release stores and readers read with acquire loads; a slot
 * only ever changes from empty to an entry, from an entry to a tombstone on removal, or from a
 * tombstone to a new entry, and a table that must grow is copied and published whole, so a reader
 * finds an entry or not, never half of one. The segment of a node's first child is written once,
 * after the child, and never changes; removing that child clears only the child. The remaining
 * fields of a node are volatile, and its values are an array that writers replace with a copy.
 * Apart from interning segments, attaching or detaching nodes that hold no values and widening
 * masks, which no match can tell apart, a write changes one thing: it publishes one value array,
 * after everything that leads to it. So a reader racing a writer sees the index as it was before or
 * after that pair was added or removed, never in between. A reader that already stepped into a node
 * being pruned finds it empty, which is what the trie looks like after the removal; a reader that
 * resolved a segment just before its last edge was removed never finds an edge added for it later,
 * which is what the trie looked like when it resolved it. The price is that writing a value costs a
 * copy of the values already at its pattern, which is quadratic when thousands of subscriptions
 * share one pattern; a concurrent set at patterns with many values would fix that.
 *
 * <p>The trie does not validate: callers check patterns and topics with {@link Topics} first. An
 * invalid pattern is stored as literal segments and matches nothing meaningful.
 *
 * @param <V> the subscription; pairs are compared with {@link Object#equals}
 */
public final class TopicTrie<V> {
  private static final Object[] NO_VALUES = new Object[0];
  private static final VarHandle SEGMENT_SLOT =
      MethodHandles.arrayElementVarHandle(Segment[].class);
  private static final VarHandle NODE_SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final Segment REMOVED_SEGMENT = new Segment("");
  private static final Node REMOVED_NODE = new Node(null, false);
  private static final int DICTIONARY_MIN_CAPACITY = 16;

  /** Topics deeper than this grow the array a match resolves their segments into. */
  private static final int USUAL_DEPTH = 8;

  private final Object lock = new Object();
  private final Node root = new Node(null, false);
  private final ConcurrentHashMap<String, Object[]> exactPatterns = new ConcurrentHashMap<>();

  /** The interned segments, open-addressed by their hash; see {@link #lookUp}. */
  private volatile Segment[] dictionary = new Segment[DICTIONARY_MIN_CAPACITY];

  private int dictionarySlotsUsed;
  private int dictionarySize;
  private volatile int size;
  private volatile int patternCount;

  /** While no pattern has a wildcard, a match is one lookup in the map. */
  private volatile int wildcardPatternCount;

  /** Adds a subscription; returns whether this (pattern, value) pair was new. */
  public boolean add(String pattern, V value) {
    Objects.requireNonNull(value, "value");
    String[] names = Topics.segments(pattern);
    synchronized (lock) {
      boolean added = hasWildcard(names) ? addToTrie(names, value) : addExact(pattern, value);
      if (added) {
        size++;
      }
      return added;
    }
  }

  /** Removes a subscription and prunes nodes left empty; returns whether the pair was present. */
  public boolean remove(String pattern, V value) {
    String[] names = Topics.segments(pattern);
    synchronized (lock) {
      boolean removed =
          hasWildcard(names) ? removeFromTrie(names, value) : removeExact(pattern, value);
      if (removed) {
        size--;
      }
      return removed;
    }
  }

  /** The values whose pattern matches the topic, each once; a new set, empty when none match. */
  public Set<V> match(String topic) {
    Set<V> matched = new HashSet<>();
    forEachMatch(topic, matched::add);
    return matched;
  }

  /** Calls the action once for each value that has at least one pattern matching the topic. */
  @SuppressWarnings("unchecked")
  public void forEachMatch(String topic, Consumer<? super V> action) {
    Object[] exactValues = exactPatterns.get(topic);
    if (wildcardPatternCount == 0) {
      if (exactValues != null) {
        for (Object value : exactValues) {
          action.accept((V) value);
        }
      }
      return;
    }

    Match<V> match = resolve(topic, action);
    if (exactValues != null) {
      match.report(exactValues);
    }
    match.visit(root, 0);
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
      Set<String> patterns = new HashSet<>(exactPatterns.keySet());
      collectPatterns(root, new ArrayList<>(), patterns);
      return Collections.unmodifiableSet(patterns);
    }
  }

  private boolean addExact(String pattern, V value) {
    Object[] values = exactPatterns.getOrDefault(pattern, NO_VALUES);
    if (indexOf(values, value) >= 0) {
      return false;
    }
    exactPatterns.put(pattern, appended(values, value));
    if (values.length == 0) {
      patternCount++;
    }
    return true;
  }

  private boolean removeExact(String pattern, V value) {
    Object[] values = exactPatterns.getOrDefault(pattern, NO_VALUES);
    int index = indexOf(values, value);
    if (index < 0) {
      return false;
    }

    if (values.length == 1) {
      exactPatterns.remove(pattern);
      patternCount--;
    } else {
      exactPatterns.put(pattern, without(values, index));
    }
    return true;
  }

  private boolean addToTrie(String[] names, V value) {
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
      return false;
    }

    widenReach(path, names);
    node.values = appended(values, value);
    if (values.length == 0) {
      patternCount++;
      wildcardPatternCount++;
    }
    return true;
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

  private boolean removeFromTrie(String[] names, V value) {
    Node[] path = new Node[names.length + 1];
    path[0] = root;
    for (int i = 0; i < names.length; i++) {
      path[i + 1] = child(path[i], names[i]);
      if (path[i + 1] == null) {
        return false;
      }
    }
    Node node = path[names.length];
    Object[] values = node.values;
    int index = indexOf(values, value);
    if (index < 0) {
      return false;
    }

    node.values = values.length == 1 ? NO_VALUES : without(values, index);
    if (values.length == 1) {
      patternCount--;
      wildcardPatternCount--;
    }
    for (int i = names.length; i > 0 && path[i].isEmpty(); i--) {
      detach(path[i - 1], names[i - 1], path[i]);
    }
    return true;
  }

  private Node child(Node node, String name) {
    switch (name) {
      case "*":
        return node.star;
      case "**":
        return node.globstar;
      default:
        Segment segment = find(name);
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
        Segment segment = intern(name);
        Node child = node.exactChild(segment);
        if (child == null) {
          child = new Node(segment, false);
          node.attach(child);
          segment.edges++;
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
        if (--child.segment.edges == 0) {
          forget(child.segment);
        }
    }
  }

  /** Resolves the topic's segments in the dictionary; a match starts from what this returns. */
  private Match<V> resolve(String topic, Consumer<? super V> action) {
    Segment[] dictionary = this.dictionary;
    Segment[] segments = new Segment[USUAL_DEPTH];
    int depth = 0;
    int start = 0;
    int hash = 0;
    int length = topic.length();
    for (int i = 0; i <= length; i++) {
      char c = i < length ? topic.charAt(i) : '.';
      if (c != '.') {
        hash = 31 * hash + c;
        continue;
      }
      if (depth == segments.length) {
        segments = Arrays.copyOf(segments, 2 * depth);
      }
      segments[depth++] = lookUp(dictionary, topic, start, i, hash);
      start = i + 1;
      hash = 0;
    }
    return new Match<>(segments, depth, action);
  }

  /**
   * The interned segment equal to {@code topic[start, end)}, whose {@link String#hashCode} is
   * {@code hash}, or null. Linear probing; the dictionary is at most half full, so a probe ends at
   * an empty slot.
   */
  private static Segment lookUp(Segment[] dictionary, String topic, int start, int end, int hash) {
    int mask = dictionary.length - 1;
    int length = end - start;
    for (int i = Segment.slot(hash) & mask; ; i = (i + 1) & mask) {
      Segment segment = (Segment) SEGMENT_SLOT.getAcquire(dictionary, i);
      if (segment == null) {
        return null;
      }
      if (segment != REMOVED_SEGMENT
          && segment.hash == hash
          && segment.name.length() == length
          && segment.name.regionMatches(0, topic, start, length)) {
        return segment;
      }
    }
  }

  private Segment find(String name) {
    return lookUp(dictionary, name, 0, name.length(), name.hashCode());
  }

  /** The interned segment for the name, added to the dictionary if new. Under the lock. */
  private Segment intern(String name) {
    Segment existing = find(name);
    if (existing != null) {
      return existing;
    }

    Segment segment = new Segment(name);
    Segment[] table = dictionary;
    if (2 * (dictionarySlotsUsed + 1) > table.length) {
      int capacity = DICTIONARY_MIN_CAPACITY;
      while (capacity < 4 * (dictionarySize + 1)) {
        capacity <<= 1;
      }
      Segment[] rebuilt = new Segment[capacity];
      for (Segment kept : table) {
        if (kept != null && kept != REMOVED_SEGMENT) {
          rebuilt[freeSlot(rebuilt, kept.slot)] = kept;
        }
      }
      rebuilt[freeSlot(rebuilt, segment.slot)] = segment;
      dictionarySlotsUsed = dictionarySize + 1;
      dictionary = rebuilt;
    } else {
      int slot = freeSlot(table, segment.slot);
      if (table[slot] == null) {
        dictionarySlotsUsed++;
      }
      SEGMENT_SLOT.setRelease(table, slot, segment);
    }
    dictionarySize++;
    return segment;
  }

  /** Drops a segment that labels no edge any more. Under the lock. */
  private void forget(Segment segment) {
    Segment[] table = dictionary;
    int mask = table.length - 1;
    for (int i = segment.slot & mask; ; i = (i + 1) & mask) {
      if (table[i] == segment) {
        SEGMENT_SLOT.setRelease(table, i, REMOVED_SEGMENT);
        dictionarySize--;
        return;
      }
    }
  }

  /** The first empty or removed slot from where the probe starts; the table has one. */
  private static int freeSlot(Object[] table, int start) {
    int mask = table.length - 1;
    int i = start & mask;
    while (table[i] != null && table[i] != REMOVED_SEGMENT && table[i] != REMOVED_NODE) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static boolean hasWildcard(String[] names) {
    for (String name : names) {
      if (name.equals("*") || name.equals("**")) {
        return true;
      }
    }
    return false;
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

  /** An interned segment. Readers read only its final fields. */
  private static final class Segment {
    final String name;
    final int hash;

    /** Where its probe starts, in any table size: the hash with its high bits folded in. */
    final int slot;

    /** How many exact edges it labels; under the lock. */
    int edges;

    Segment(String name) {
      this.name = name;
      this.hash = name.hashCode();
      this.slot = slot(hash);
    }

    static int slot(int hash) {
      return hash ^ (hash >>> 16);
    }
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

    /** The topic's segments as interned, null where no pattern has the segment. */
    private final Segment[] topic;

    private final int depth;
    private final Consumer<? super V> action;

    /** The values of the first node that reported any; they need no dedup on their own. */
    private Object[] firstReported;

    /** Everything reported, once a second node reports: a list to scan, then a set. */
    private Object[] reported;

    private int reportedCount;
    private Set<Object> reportedSet;

    /** For each nested {@code **} node reached, the lowest index it has been expanded from. */
    private Map<Node, Integer> expandedFrom;

    Match(Segment[] topic, int depth, Consumer<? super V> action) {
      this.topic = topic;
      this.depth = depth;
      this.action = action;
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

    @SuppressWarnings("unchecked")
    void report(Object[] values) {
      if (values.length == 0) {
        return;
      }
      if (firstReported == null) {
        firstReported = values;
        for (Object value : values) {
          action.accept((V) value);
        }
        return;
      }
      if (reported == null) {
        reportedCount = firstReported.length;
        reported = Arrays.copyOf(firstReported, Math.max(8, 2 * reportedCount));
      }
      for (Object value : values) {
        if (firstTime(value)) {
          action.accept((V) value);
        }
      }
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
