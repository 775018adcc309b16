package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.Outbox;
import dev.fovea.protocol.topic.TopicTrie;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's local subscriptions: which sessions subscribed which patterns. Sessions change it from
 * their own actors while every topic shard matches against it at once; the index allows that
 * without a lock on the read side.
 *
 * <p>It also counts the sessions of each pattern, and tells the cluster when a pattern gains its
 * first local session or loses its last: other nodes forward publishes by pattern and node, not by
 * session.
 */
public final class SubscriptionIndex {
  private final TopicTrie<Outbox> trie;
  private final Map<String, Integer> sessionsByPattern = new ConcurrentHashMap<>();
  private final InterestListener interest;

  /** Told of the patterns that this node starts or stops having subscribers for. */
  public interface InterestListener {
    void firstSubscriber(String pattern);

    void lastSubscriberGone(String pattern);

    InterestListener NONE =
        new InterestListener() {
          @Override
          public void firstSubscriber(String pattern) {}

          @Override
          public void lastSubscriberGone(String pattern) {}
        };
  }

  /** An index of at most this many wildcard shapes looked up by shape; see {@link TopicTrie}. */
  public SubscriptionIndex(InterestListener interest, int maxWildcardShapes) {
    this.interest = interest;
    this.trie = new TopicTrie<>(maxWildcardShapes);
  }

  /** True when this session had not subscribed this pattern before. */
  public boolean add(String pattern, Outbox session) {
    if (!trie.add(pattern, session)) {
      return false;
    }
    // compute() runs atomically per pattern, so the cluster is told in the order counts change.
    sessionsByPattern.compute(
        pattern,
        (p, count) -> {
          if (count == null) {
            interest.firstSubscriber(p);
            return 1;
          }
          return count + 1;
        });
    return true;
  }

  public boolean remove(String pattern, Outbox session) {
    if (!trie.remove(pattern, session)) {
      return false;
    }
    sessionsByPattern.computeIfPresent(
        pattern,
        (p, count) -> {
          if (count == 1) {
            interest.lastSubscriberGone(p);
            return null;
          }
          return count - 1;
        });
    return true;
  }

  /** Distinct patterns that every publish must walk a trie for; see {@link TopicTrie}. */
  public int walkedPatternCount() {
    return trie.walkedPatternCount();
  }

  /** Visits each session subscribed to a pattern that matches the topic, once. */
  public void forEachSubscriber(String topic, Consumer<Outbox> action) {
    trie.forEachMatch(topic, action);
  }

  /** Each pattern with the number of local sessions subscribed to it. */
  public Map<String, Integer> sessionsByPattern() {
    return Map.copyOf(sessionsByPattern);
  }

  public int patternCount() {
    return trie.patternCount();
  }

  public int subscriptionCount() {
    return trie.size();
  }
}
