package dev.fovea.sharding.interest;

import dev.fovea.protocol.topic.TopicTrie;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * This node's view of the other nodes' interest: a trie from pattern to the node that subscribed
 * it. Topic shards match against it from many threads while the interest table, alone, updates it;
 * a publish then goes once to each node the match names, however many of that node's patterns or
 * sessions match.
 */
public final class RemoteInterest {
  private final TopicTrie<String> trie = new TopicTrie<>();
  // Owned by the interest table's actor: what the trie holds, per node, for diffing updates.
  private final Map<String, Set<String>> patternsByNode = new HashMap<>();
  private final Consumer<Set<String>> nodesChanged;

  /**
   * @param nodesChanged told the set of interested nodes whenever it changes
   */
  public RemoteInterest(Consumer<Set<String>> nodesChanged) {
    this.nodesChanged = nodesChanged;
  }

  /** Visits each remote node interested in the topic, once. */
  public void forEachInterestedNode(String topic, Consumer<String> action) {
    trie.forEachMatch(topic, action);
  }

  /** Nodes that currently have interest. */
  public Set<String> nodes() {
    synchronized (patternsByNode) {
      return Set.copyOf(patternsByNode.keySet());
    }
  }

  public int patternCount() {
    return trie.size();
  }

  /** Brings the trie to exactly {@code latest}, touching only what changed. */
  void replaceWith(Map<String, Set<String>> latest) {
    Set<String> nodesBefore = nodes();
    update(latest);
    Set<String> nodesAfter = nodes();
    if (!nodesAfter.equals(nodesBefore)) {
      nodesChanged.accept(nodesAfter);
    }
  }

  private void update(Map<String, Set<String>> latest) {
    synchronized (patternsByNode) {
      for (String node : Set.copyOf(patternsByNode.keySet())) {
        if (!latest.containsKey(node)) {
          for (String pattern : patternsByNode.remove(node)) {
            trie.remove(pattern, node);
          }
        }
      }
      for (Map.Entry<String, Set<String>> e : latest.entrySet()) {
        Set<String> held = patternsByNode.computeIfAbsent(e.getKey(), k -> new HashSet<>());
        for (String pattern : Set.copyOf(held)) {
          if (!e.getValue().contains(pattern)) {
            held.remove(pattern);
            trie.remove(pattern, e.getKey());
          }
        }
        for (String pattern : e.getValue()) {
          if (held.add(pattern)) {
            trie.add(pattern, e.getKey());
          }
        }
      }
    }
  }
}
