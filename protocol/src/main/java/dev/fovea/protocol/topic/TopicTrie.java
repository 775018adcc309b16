package dev.fovea.protocol.topic;

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
 * <p><b>Structure.</b> A trie with one edge per pattern segment. Each node has its exact children
 * in a map keyed by segment, a separate {@code *} child and {@code **} child, and the values whose
 * pattern ends at that node. Matching walks the topic's segments from the root: at each node it
 * follows the exact child for the next segment (one hash lookup), the {@code *} child, and the
 * {@code **} child, which it enters once for every split point of the remaining segments (the
 * {@code **} consumes zero, one, ... all of them). Values are reported at the nodes reached when
 * the topic is used up.
 *
 * <p><b>Cost.</b> A match never looks at subscriptions whose pattern diverges from the topic, so
 * its cost grows with the topic's depth and with the wildcard branches taken, not with the number
 * of subscriptions. Along a path without {@code **} a node is reached at most once. Below one
 * {@code **} a node can be reached once per split point, at most depth + 1 times. Below a second
 * {@code **} the same (node, segment index) state would be reached once per combination of split
 * points, exponential in the number of {@code **}; so a {@code **} node that has a {@code **} above
 * it remembers, for the current match, the lowest index it was entered from, and is never expanded
 * twice for the same index. That bounds a match by (nodes reached) x (depth + 1) hash lookups
 * whatever the patterns. The memo is allocated only when such a nested {@code **} is reached. A
 * value reported at several nodes is deduplicated with a set, which is likewise allocated only once
 * a second node reports values.
 *
 * <p><b>Concurrency.</b> Readers take no lock and never block. Exact children live in a {@link
 * ConcurrentHashMap}; the wildcard children, the child map itself and each node's values are
 * volatile fields, and the values are an array that is never modified after it is published:
 * writers replace it with a copy. Writers serialize on a private lock. Apart from attaching or
 * detaching nodes that hold no values, which no match can tell from absent ones, a write changes
 * one thing: it publishes one value array. So a reader racing a writer sees the trie as it was
 * before or after that pair was added or removed, never in between. A reader that already stepped
 * into a node being pruned finds it empty, which is what the trie looks like after the removal. The
 * price is that writing a value costs a copy of the values already at its node, which is quadratic
 * when thousands of subscriptions share one pattern; a concurrent set at nodes with many values
 * would fix that.
 *
 * <p>The trie does not validate: callers check patterns and topics with {@link Topics} first. An
 * invalid pattern is stored as literal segments and matches nothing meaningful.
 *
 * @param <V> the subscription; pairs are compared with {@link Object#equals}
 */
public final class TopicTrie<V> {
  private static final Object[] NO_VALUES = new Object[0];

  private final Object lock = new Object();
  private final Node root = new Node(false);
  private volatile int size;
  private volatile int patternCount;

  /** Adds a subscription; returns whether this (pattern, value) pair was new. */
  public boolean add(String pattern, V value) {
    Objects.requireNonNull(value, "value");
    String[] segments = Topics.segments(pattern);
    synchronized (lock) {
      Node node = root;
      boolean globstarAbove = false;
      for (String segment : segments) {
        node = node.childForAdd(segment, globstarAbove);
        globstarAbove |= segment.equals("**");
      }

      Object[] values = node.values;
      if (indexOf(values, value) >= 0) {
        return false;
      }
      Object[] grown = Arrays.copyOf(values, values.length + 1);
      grown[values.length] = value;
      node.values = grown;
      size++;
      if (values.length == 0) {
        patternCount++;
      }
      return true;
    }
  }

  /** Removes a subscription and prunes nodes left empty; returns whether the pair was present. */
  public boolean remove(String pattern, V value) {
    String[] segments = Topics.segments(pattern);
    synchronized (lock) {
      Node[] path = new Node[segments.length + 1];
      path[0] = root;
      for (int i = 0; i < segments.length; i++) {
        path[i + 1] = path[i].child(segments[i]);
        if (path[i + 1] == null) {
          return false;
        }
      }
      Node node = path[segments.length];
      Object[] values = node.values;
      int index = indexOf(values, value);
      if (index < 0) {
        return false;
      }

      Object[] shrunk = NO_VALUES;
      if (values.length > 1) {
        shrunk = new Object[values.length - 1];
        System.arraycopy(values, 0, shrunk, 0, index);
        System.arraycopy(values, index + 1, shrunk, index, values.length - index - 1);
      }
      node.values = shrunk;
      size--;
      if (shrunk.length == 0) {
        patternCount--;
      }

      for (int i = segments.length; i > 0 && path[i].isEmpty(); i--) {
        path[i - 1].detach(segments[i - 1]);
      }
      return true;
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
    new Match<V>(Topics.segments(topic), action).visit(root, 0);
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
      collectPatterns(root, new ArrayList<>(), patterns);
      return Collections.unmodifiableSet(patterns);
    }
  }

  private static void collectPatterns(Node node, List<String> path, Set<String> patterns) {
    if (node.values.length > 0) {
      patterns.add(String.join(".", path));
    }
    Map<String, Node> children = node.children;
    if (children != null) {
      children.forEach((segment, child) -> collectChild(segment, child, path, patterns));
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
    /** A {@code **} node below another {@code **}: the only kind a match must memoize. */
    final boolean nestedGlobstar;

    /** Created with the first exact child, so that leaves do not each carry an empty map. */
    volatile ConcurrentHashMap<String, Node> children;

    volatile Node star;
    volatile Node globstar;

    /** The values whose pattern ends here; never modified once assigned. */
    volatile Object[] values = NO_VALUES;

    Node(boolean nestedGlobstar) {
      this.nestedGlobstar = nestedGlobstar;
    }

    Node child(String segment) {
      switch (segment) {
        case "*":
          return star;
        case "**":
          return globstar;
        default:
          Map<String, Node> exact = children;
          return exact == null ? null : exact.get(segment);
      }
    }

    Node childForAdd(String segment, boolean globstarAbove) {
      Node existing = child(segment);
      if (existing != null) {
        return existing;
      }
      Node created = new Node(globstarAbove && segment.equals("**"));
      switch (segment) {
        case "*":
          star = created;
          break;
        case "**":
          globstar = created;
          break;
        default:
          if (children == null) {
            children = new ConcurrentHashMap<>();
          }
          children.put(segment, created);
      }
      return created;
    }

    void detach(String segment) {
      switch (segment) {
        case "*":
          star = null;
          break;
        case "**":
          globstar = null;
          break;
        default:
          children.remove(segment);
      }
    }

    boolean isEmpty() {
      Map<String, Node> exact = children;
      return values.length == 0
          && star == null
          && globstar == null
          && (exact == null || exact.isEmpty());
    }
  }

  /** The state of one match: the topic, where it has been, and what it has reported. */
  private static final class Match<V> {
    private final String[] topic;
    private final Consumer<? super V> action;

    /** The values of the first node that reported any; they need no dedup set on their own. */
    private Object[] firstReported;

    private Set<Object> reported;

    /** For each nested {@code **} node reached, the lowest index it has been expanded from. */
    private Map<Node, Integer> expandedFrom;

    Match(String[] topic, Consumer<? super V> action) {
      this.topic = topic;
      this.action = action;
    }

    /** Reports every value reachable from {@code node} with {@code topic[index..]} left over. */
    void visit(Node node, int index) {
      if (index == topic.length) {
        report(node.values);
      } else {
        Map<String, Node> exact = node.children;
        Node next = exact == null ? null : exact.get(topic[index]);
        if (next != null) {
          visit(next, index + 1);
        }
        Node star = node.star;
        if (star != null) {
          visit(star, index + 1);
        }
      }
      Node globstar = node.globstar;
      if (globstar != null) {
        expand(globstar, index);
      }
    }

    /** Lets the {@code **} node consume each possible number of the remaining segments. */
    private void expand(Node globstar, int from) {
      int until = topic.length + 1;
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
        visit(globstar, index);
      }
    }

    @SuppressWarnings("unchecked")
    private void report(Object[] values) {
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
        reported = new HashSet<>(Arrays.asList(firstReported));
      }
      for (Object value : values) {
        if (reported.add(value)) {
          action.accept((V) value);
        }
      }
    }
  }
}
